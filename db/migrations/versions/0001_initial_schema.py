"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cluster',
    sa.Column('key', sa.String(length=64), nullable=False, comment="Stable key 'subcategory:colour' (colour may be unknown)."),
    sa.Column('big_class', sa.String(length=16), nullable=False, comment='Big class of the subcategory.'),
    sa.Column('subcategory', sa.String(length=32), nullable=False, comment='Normalised subcategory.'),
    sa.Column('color_family', sa.String(length=16), nullable=False, comment="Colour family or 'unknown'."),
    sa.Column('item_count', sa.Integer(), nullable=False, comment='Items in the cluster.'),
    sa.Column('outfit_count', sa.Integer(), nullable=False, comment='Outfits containing at least one item of the cluster.'),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.now(), nullable=False, comment='Last recount.'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_cluster')),
    comment="Clusters of look-alike items keyed 'subcategory:colour'; the key never changes.",
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('cluster', schema=None) as batch_op:
        batch_op.create_index('ix_cluster_big_class', ['big_class'], unique=False)

    op.create_table('crawl_page',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='Surrogate key.'),
    sa.Column('url', sa.String(length=700).with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=700), 'mariadb').with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=700), 'mysql'), nullable=False, comment='Absolute URL.'),
    sa.Column('kind', sa.String(length=16), nullable=False, comment='list, outfit, item or image.'),
    sa.Column('depth', sa.Integer(), nullable=False, comment='Links from the start URL.'),
    sa.Column('parent_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True, comment='Page that linked here.'),
    sa.Column('stack_order', sa.BigInteger(), nullable=False, comment='Depth-first order: the highest pending value goes next.'),
    sa.Column('state', sa.String(length=16), nullable=False, comment='pending, in_progress, done, failed or skipped.'),
    sa.Column('attempts', sa.Integer(), nullable=False, comment='Fetch attempts so far.'),
    sa.Column('http_status', sa.Integer(), nullable=True, comment='Last HTTP status seen.'),
    sa.Column('last_error', sa.Text(), nullable=True, comment='Why the last attempt failed.'),
    sa.Column('claimed_by', sa.String(length=64), nullable=True, comment='Worker holding it.'),
    sa.Column('claimed_at', sa.DateTime(), nullable=True, comment='When it was claimed.'),
    sa.Column('fetched_at', sa.DateTime(), nullable=True, comment='When it finished.'),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False, comment='When it was discovered.'),
    sa.CheckConstraint("state IN ('pending', 'in_progress', 'done', 'failed', 'skipped')", name=op.f('ck_crawl_page_state')),
    sa.ForeignKeyConstraint(['parent_id'], ['crawl_page.id'], name=op.f('fk_crawl_page_parent_id_crawl_page'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_page')),
    sa.UniqueConstraint('url', name=op.f('uq_crawl_page_url')),
    comment='Crawler frontier and crawled pages: pending rows are the queue, done/failed the log.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('crawl_page', schema=None) as batch_op:
        batch_op.create_index('ix_crawl_page_state_order', ['state', 'stack_order'], unique=False)

    op.create_table('outfit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='Surrogate key.'),
    sa.Column('source', sa.String(length=32), nullable=False, comment='musinsa_codimap, musinsa_snap, mango, replica, ...'),
    sa.Column('source_id', sa.String(length=64).with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=64), 'mariadb').with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=64), 'mysql'), nullable=False, comment="The source's own outfit id."),
    sa.Column('style', sa.String(length=64), nullable=True, comment='Style (캐주얼, 스트릿, ...).'),
    sa.Column('season', sa.String(length=32), nullable=True, comment='Season label.'),
    sa.Column('gender', sa.String(length=16), nullable=True, comment='MALE, FEMALE or unisex.'),
    sa.Column('popularity', sa.Integer(), nullable=True, comment='Views (조회) of the outfit.'),
    sa.Column('image_url', sa.String(length=1024), nullable=True, comment='Outfit photo URL.'),
    sa.Column('page_url', sa.String(length=1024), nullable=True, comment='Outfit page URL.'),
    sa.Column('description', sa.Text(), nullable=True, comment='Editor text.'),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False, comment='When the row was first written (UTC).'),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.now(), nullable=False, comment='When the row last changed (UTC).'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outfit')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_outfit_source_source_id')),
    comment='An outfit photo combining several items. One row per (source, source_id).',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('outfit', schema=None) as batch_op:
        batch_op.create_index('ix_outfit_popularity', ['popularity'], unique=False)

    op.create_table('item',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='Surrogate key.'),
    sa.Column('source', sa.String(length=32), nullable=False, comment='Where the item comes from: musinsa, mango, replica, ...'),
    sa.Column('source_id', sa.String(length=64).with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=64), 'mariadb').with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=64), 'mysql'), nullable=False, comment="The shop's own product id."),
    sa.Column('name', sa.String(length=512), nullable=False, comment='Product name as the shop shows it.'),
    sa.Column('brand', sa.String(length=128), nullable=True, comment='Brand name.'),
    sa.Column('big_class_raw', sa.String(length=128), nullable=True, comment='Top-level category as the source gives it (e.g. 상의, Tops).'),
    sa.Column('subcategory_raw', sa.String(length=256), nullable=True, comment='Finer category as the source gives it (e.g. 반소매 티셔츠).'),
    sa.Column('color_raw', sa.String(length=128), nullable=True, comment='Colour as the source states it, when it states one separately.'),
    sa.Column('big_class', sa.String(length=16), nullable=True, comment='Normalised big class: top, outerwear, bottom, shoes, bag, headwear.'),
    sa.Column('subcategory', sa.String(length=32), nullable=True, comment='Normalised subcategory key (e.g. tee_short, slacks).'),
    sa.Column('is_recommendable', sa.Boolean(), server_default='0', nullable=False, comment='False for classes Closet does not recommend (accessories, home, beauty).'),
    sa.Column('price', sa.Integer(), nullable=True, comment="Price in the shop's currency."),
    sa.Column('likes', sa.Integer(), nullable=True, comment='Likes on the goods page.'),
    sa.Column('rating', sa.Float(), nullable=True, comment='Average review score (0-5).'),
    sa.Column('gender', sa.String(length=32), nullable=True, comment='Target gender as shown.'),
    sa.Column('season', sa.String(length=64), nullable=True, comment='Season label as shown.'),
    sa.Column('view_count', sa.Integer(), nullable=True, comment='Page views (last month).'),
    sa.Column('sales_count', sa.Integer(), nullable=True, comment='Units sold (last year).'),
    sa.Column('image_url', sa.String(length=1024), nullable=True, comment='Product image URL.'),
    sa.Column('image_path', sa.String(length=512), nullable=True, comment='Downloaded image, relative to IMAGE_DIR (content-addressed).'),
    sa.Column('shop_url', sa.String(length=1024), nullable=True, comment='The shop page to buy it.'),
    sa.Column('dominant_rgb', sa.String(length=7), nullable=True, comment='Dominant garment colour from the image, #rrggbb.'),
    sa.Column('color_family', sa.String(length=16), nullable=True, comment='Normalised colour family (black, navy, beige, ...); NULL if unknown.'),
    sa.Column('color_source', sa.String(length=16), nullable=True, comment='Where color_family came from: source, name or image.'),
    sa.Column('feature_note', sa.String(length=255), nullable=True, comment="Why a feature is missing (e.g. 'name states several colours')."),
    sa.Column('features_hash', sa.String(length=64), nullable=True, comment='Hash of the inputs features were computed from (incremental runs).'),
    sa.Column('cluster_key', sa.String(length=64), nullable=True, comment="Cluster 'subcategory:colour' this item belongs to."),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False, comment='When the row was first written (UTC).'),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.now(), nullable=False, comment='When the row last changed (UTC).'),
    sa.ForeignKeyConstraint(['cluster_key'], ['cluster.key'], name=op.f('fk_item_cluster_key_cluster'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_item_source_source_id')),
    comment='A product from a shop (crawled or imported). One row per (source, source_id).',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index('ix_item_big_class_subcategory', ['big_class', 'subcategory'], unique=False)
        batch_op.create_index('ix_item_brand', ['brand'], unique=False)
        batch_op.create_index('ix_item_cluster_key', ['cluster_key'], unique=False)
        batch_op.create_index('ix_item_color_family', ['color_family'], unique=False)
        batch_op.create_index('ix_item_price', ['price'], unique=False)
        batch_op.create_index('ix_item_recommendable_big_class', ['is_recommendable', 'big_class'], unique=False)

    op.create_table('outfit_tag',
    sa.Column('outfit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='Outfit.'),
    sa.Column('tag', sa.String(length=64).with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=64), 'mariadb').with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=64), 'mysql'), nullable=False, comment='Tag text.'),
    sa.ForeignKeyConstraint(['outfit_id'], ['outfit.id'], name=op.f('fk_outfit_tag_outfit_id_outfit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('outfit_id', 'tag', name=op.f('pk_outfit_tag')),
    comment='Tags of an outfit.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('outfit_tag', schema=None) as batch_op:
        batch_op.create_index('ix_outfit_tag_tag', ['tag'], unique=False)

    op.create_table('interaction_event',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='Surrogate key.'),
    sa.Column('session_id', sa.String(length=64), nullable=False, comment='Anonymous browser session.'),
    sa.Column('event_type', sa.String(length=32), nullable=False, comment='Kind of event.'),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True, comment='Item shown or clicked.'),
    sa.Column('outfit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True, comment='Outfit shown or clicked.'),
    sa.Column('query_item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True, comment='The garment being matched.'),
    sa.Column('query_text', sa.String(length=200), nullable=True, comment='Search text, if any.'),
    sa.Column('rank', sa.SmallInteger(), nullable=True, comment='Position in the list shown.'),
    sa.Column('detail', sa.Text(), nullable=True, comment='Extra JSON (filters, page, ...).'),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False, comment='When it happened (UTC).'),
    sa.CheckConstraint("event_type IN ('search', 'view', 'recommendation_shown', 'click', 'shop_link_open')", name=op.f('ck_interaction_event_event_type')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_interaction_event_item_id_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outfit_id'], ['outfit.id'], name=op.f('fk_interaction_event_outfit_id_outfit'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['query_item_id'], ['item.id'], name=op.f('fk_interaction_event_query_item_id_item'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction_event')),
    comment='Usage events from the app (search, view, recommendation_shown, click, shop_link_open).',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('interaction_event', schema=None) as batch_op:
        batch_op.create_index('ix_interaction_event_item_id', ['item_id'], unique=False)
        batch_op.create_index('ix_interaction_event_session_id', ['session_id'], unique=False)
        batch_op.create_index('ix_interaction_event_type_created', ['event_type', 'created_at'], unique=False)

    op.create_table('item_attribute',
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='The item.'),
    sa.Column('attribute', sa.String(length=16), nullable=False, comment='season or fit.'),
    sa.Column('value', sa.String(length=32), nullable=False, comment='Active value.'),
    sa.CheckConstraint("attribute IN ('season', 'fit')", name=op.f('ck_item_attribute_attribute_kind')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_item_attribute_item_id_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'attribute', 'value', name=op.f('pk_item_attribute')),
    comment="Active values of an item's fit and season tables (e.g. season=가을, fit=오버사이즈).",
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    op.create_table('item_buyer_share',
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='The item.'),
    sa.Column('dimension', sa.String(length=16), nullable=False, comment='age or gender.'),
    sa.Column('bucket', sa.String(length=32), nullable=False, comment='Age band (e.g. 19~23세) or gender (남성/여성).'),
    sa.Column('share_pct', sa.Float(), nullable=False, comment='Percentage of buyers (0-100).'),
    sa.CheckConstraint("dimension IN ('age', 'gender')", name=op.f('ck_item_buyer_share_dimension_kind')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_item_buyer_share_item_id_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'dimension', 'bucket', name=op.f('pk_item_buyer_share')),
    comment="Share of an item's buyers per age band or gender, in percent.",
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    op.create_table('item_tag',
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='The item.'),
    sa.Column('tag', sa.String(length=64).with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=64), 'mariadb').with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=64), 'mysql'), nullable=False, comment='Tag text.'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_item_tag_item_id_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'tag', name=op.f('pk_item_tag')),
    comment="Tags shown on an item's goods page.",
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('item_tag', schema=None) as batch_op:
        batch_op.create_index('ix_item_tag_tag', ['tag'], unique=False)

    op.create_table('outfit_item',
    sa.Column('outfit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='Outfit.'),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='Item.'),
    sa.Column('position', sa.SmallInteger(), nullable=False, comment='Order in the outfit (1-based).'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_outfit_item_item_id_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outfit_id'], ['outfit.id'], name=op.f('fk_outfit_item_outfit_id_outfit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('outfit_id', 'item_id', name=op.f('pk_outfit_item')),
    comment='Which items an outfit combines, in display order.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('outfit_item', schema=None) as batch_op:
        batch_op.create_index('ix_outfit_item_item_id', ['item_id'], unique=False)

    op.create_table('survey_response',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, comment='Surrogate key.'),
    sa.Column('session_id', sa.String(length=64), nullable=False, comment='Anonymous browser session.'),
    sa.Column('target_kind', sa.String(length=16), nullable=False, comment='item or outfit.'),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True, comment='Rated recommended item.'),
    sa.Column('outfit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True, comment='Rated outfit.'),
    sa.Column('query_item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True, comment="The shopper's garment the recommendation was for (NULL if described)."),
    sa.Column('rating', sa.SmallInteger(), nullable=False, comment='1 (does not fit) to 5 (fits well).'),
    sa.Column('comment', sa.Text(), nullable=True, comment='Optional free text.'),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False, comment='When it was answered (UTC).'),
    sa.CheckConstraint("target_kind IN ('item', 'outfit')", name=op.f('ck_survey_response_target_kind')),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_survey_response_rating_range')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_survey_response_item_id_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outfit_id'], ['outfit.id'], name=op.f('fk_survey_response_outfit_id_outfit'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['query_item_id'], ['item.id'], name=op.f('fk_survey_response_query_item_id_item'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    comment="In-app survey answers: did the recommended item / outfit go with the shopper's garment?",
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index('ix_survey_response_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_survey_response_session_id', ['session_id'], unique=False)



def downgrade() -> None:
    """Drop every table (their indexes and keys go with them), children first."""
    op.drop_table('survey_response')
    op.drop_table('outfit_item')
    op.drop_table('item_tag')
    op.drop_table('item_buyer_share')
    op.drop_table('item_attribute')
    op.drop_table('interaction_event')
    op.drop_table('outfit_tag')
    op.drop_table('item')
    op.drop_table('outfit')
    op.drop_table('crawl_page')
    op.drop_table('cluster')
