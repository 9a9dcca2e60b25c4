"""Typed SQLAlchemy models: the schema an admin sees in DBeaver, with comments on every table.

The schema itself is created only by the Alembic migrations in `db/migrations`; these models
are what the code uses and what `alembic revision --autogenerate` compares against.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MYSQL_TABLE_ARGS = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}

def exact_string(length: int) -> String:
    """VARCHAR compared byte for byte on MySQL, where the default collation folds case."""
    return String(length).with_variant(
        mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
    )


# A BIGINT primary key that still autoincrements on SQLite (which only does so for INTEGER).
BigId = BigInteger().with_variant(Integer(), "sqlite")


def table_args(comment: str, *constraints: object) -> tuple:
    """Constraints plus the table comment and MySQL charset, in SQLAlchemy's tuple form."""
    return (*constraints, {"comment": comment, **MYSQL_TABLE_ARGS})


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (needed for Alembic downgrades)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """created_at/updated_at kept by the database, so imports can tell new from changed rows."""

    created_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), comment="When the row was first written (UTC)."
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now(),
        comment="When the row last changed (UTC).",
    )


class Item(TimestampMixin, Base):
    """A garment or accessory sold by a shop."""

    __tablename__ = "item"
    __table_args__ = table_args(
        "A product from a shop (crawled or imported). One row per (source, source_id).",
        UniqueConstraint("source", "source_id"),
        Index("ix_item_big_class_subcategory", "big_class", "subcategory"),
        Index("ix_item_color_family", "color_family"),
        Index("ix_item_cluster_key", "cluster_key"),
        Index("ix_item_brand", "brand"),
        Index("ix_item_price", "price"),
        Index("ix_item_recommendable_big_class", "is_recommendable", "big_class"),
        Index("ix_item_updated_at", "updated_at"),  # the search index's cheap "did the catalogue change?"
        CheckConstraint("gender IN ('male', 'female', 'unisex')", name="gender_kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, comment="Surrogate key.")
    source: Mapped[str] = mapped_column(
        String(32), comment="Where the item comes from: musinsa, mango, replica, ..."
    )
    source_id: Mapped[str] = mapped_column(exact_string(64), comment="The shop's own product id.")
    name: Mapped[str] = mapped_column(String(512), comment="Product name as the shop shows it.")
    brand: Mapped[str | None] = mapped_column(String(128), comment="Brand name.")
    serial: Mapped[str | None] = mapped_column(
        String(64), comment="The seller's product code (품번), e.g. 1202A164-110."
    )
    big_class_raw: Mapped[str | None] = mapped_column(
        String(128), comment="Top-level category as the source gives it (e.g. 상의, Tops)."
    )
    subcategory_raw: Mapped[str | None] = mapped_column(
        String(256), comment="Finer category as the source gives it (e.g. 반소매 티셔츠)."
    )
    color_raw: Mapped[str | None] = mapped_column(
        String(128), comment="Colour as the source states it, when it states one separately."
    )
    big_class: Mapped[str | None] = mapped_column(
        String(16), comment="Normalised big class: top, outerwear, bottom, shoes, bag, headwear."
    )
    subcategory: Mapped[str | None] = mapped_column(
        String(32), comment="Normalised subcategory key (e.g. tee_short, slacks)."
    )
    is_recommendable: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0",
        comment="False for classes Closet does not recommend (accessories, home, beauty).",
    )
    price: Mapped[int | None] = mapped_column(Integer, comment="Price in the shop's currency.")
    likes: Mapped[int | None] = mapped_column(Integer, comment="Likes on the goods page.")
    rating: Mapped[float | None] = mapped_column(Float, comment="Average review score (0-5).")
    gender: Mapped[str | None] = mapped_column(
        exact_string(32),
        comment="Who it is for: male, female or unisex (shop label or outfits worn in); NULL unknown.",
    )
    season: Mapped[str | None] = mapped_column(String(64), comment="Season label as shown.")
    view_count: Mapped[int | None] = mapped_column(Integer, comment="Page views (last month).")
    sales_count: Mapped[int | None] = mapped_column(Integer, comment="Units sold (last year).")
    image_url: Mapped[str | None] = mapped_column(String(1024), comment="Product image URL.")
    image_path: Mapped[str | None] = mapped_column(
        String(512), comment="Downloaded image, relative to IMAGE_DIR (content-addressed)."
    )
    shop_url: Mapped[str | None] = mapped_column(String(1024), comment="The shop page to buy it.")
    dominant_rgb: Mapped[str | None] = mapped_column(
        String(7), comment="Dominant garment colour from the image, #rrggbb."
    )
    color_family: Mapped[str | None] = mapped_column(
        String(16), comment="Normalised colour family (black, navy, beige, ...); NULL if unknown."
    )
    color_source: Mapped[str | None] = mapped_column(
        String(16), comment="Where color_family came from: source, name or image."
    )
    feature_note: Mapped[str | None] = mapped_column(
        String(255), comment="Why a feature is missing (e.g. 'name states several colours')."
    )
    features_hash: Mapped[str | None] = mapped_column(
        String(64), comment="Hash of the inputs features were computed from (incremental runs)."
    )
    cluster_key: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("cluster.key", ondelete="SET NULL"),
        comment="Cluster 'subcategory:colour' this item belongs to.",
    )

    tags: Mapped[list[ItemTag]] = relationship(cascade="all, delete-orphan")
    attributes: Mapped[list[ItemAttribute]] = relationship(cascade="all, delete-orphan")
    buyer_shares: Mapped[list[ItemBuyerShare]] = relationship(cascade="all, delete-orphan")


class ItemTag(Base):
    """A free-text tag on a goods page."""

    __tablename__ = "item_tag"
    __table_args__ = table_args(
        "Tags shown on an item's goods page.", Index("ix_item_tag_tag", "tag")
    )

    item_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("item.id", ondelete="CASCADE"), primary_key=True, comment="The item."
    )
    tag: Mapped[str] = mapped_column(exact_string(64), primary_key=True, comment="Tag text.")


class ItemAttribute(Base):
    """Fit and four-season values marked active in the goods page's tables."""

    __tablename__ = "item_attribute"
    __table_args__ = table_args(
        "Active values of an item's fit and season tables (e.g. season=가을, fit=오버사이즈).",
        CheckConstraint("attribute IN ('season', 'fit')", name="attribute_kind"),
    )

    item_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("item.id", ondelete="CASCADE"), primary_key=True, comment="The item."
    )
    attribute: Mapped[str] = mapped_column(String(16), primary_key=True, comment="season or fit.")
    value: Mapped[str] = mapped_column(String(32), primary_key=True, comment="Active value.")


class ItemBuyerShare(Base):
    """Who buys the item: age-band and gender shares from the goods page."""

    __tablename__ = "item_buyer_share"
    __table_args__ = table_args(
        "Share of an item's buyers per age band or gender, in percent.",
        CheckConstraint("dimension IN ('age', 'gender')", name="dimension_kind"),
    )

    item_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("item.id", ondelete="CASCADE"), primary_key=True, comment="The item."
    )
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True, comment="age or gender.")
    bucket: Mapped[str] = mapped_column(
        String(32), primary_key=True, comment="Age band (e.g. 19~23세) or gender (남성/여성)."
    )
    share_pct: Mapped[float] = mapped_column(Float, comment="Percentage of buyers (0-100).")


class Outfit(TimestampMixin, Base):
    """A styled outfit (codimap, snap, or a Mango look) combining several items."""

    __tablename__ = "outfit"
    __table_args__ = table_args(
        "An outfit photo combining several items. One row per (source, source_id).",
        UniqueConstraint("source", "source_id"),
        Index("ix_outfit_popularity", "popularity"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, comment="Surrogate key.")
    source: Mapped[str] = mapped_column(
        String(32), comment="musinsa_codimap, musinsa_snap, mango, replica, ..."
    )
    source_id: Mapped[str] = mapped_column(exact_string(64), comment="The source's own outfit id.")
    style: Mapped[str | None] = mapped_column(String(64), comment="Style (캐주얼, 스트릿, ...).")
    season: Mapped[str | None] = mapped_column(String(32), comment="Season label.")
    gender: Mapped[str | None] = mapped_column(String(16), comment="MALE, FEMALE or unisex.")
    popularity: Mapped[int | None] = mapped_column(Integer, comment="Views (조회) of the outfit.")
    image_url: Mapped[str | None] = mapped_column(String(1024), comment="Outfit photo URL.")
    page_url: Mapped[str | None] = mapped_column(String(1024), comment="Outfit page URL.")
    description: Mapped[str | None] = mapped_column(Text, comment="Editor text.")

    members: Mapped[list[OutfitItem]] = relationship(cascade="all, delete-orphan")
    tags: Mapped[list[OutfitTag]] = relationship(cascade="all, delete-orphan")


class OutfitTag(Base):
    """A tag (or #hashtag) of an outfit."""

    __tablename__ = "outfit_tag"
    __table_args__ = table_args("Tags of an outfit.", Index("ix_outfit_tag_tag", "tag"))

    outfit_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("outfit.id", ondelete="CASCADE"), primary_key=True, comment="Outfit."
    )
    tag: Mapped[str] = mapped_column(exact_string(64), primary_key=True, comment="Tag text.")


class OutfitItem(Base):
    """Membership of an item in an outfit."""

    __tablename__ = "outfit_item"
    __table_args__ = table_args(
        "Which items an outfit combines, in display order.",
        Index("ix_outfit_item_item_id", "item_id"),
    )

    outfit_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("outfit.id", ondelete="CASCADE"), primary_key=True, comment="Outfit."
    )
    item_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("item.id", ondelete="CASCADE"), primary_key=True, comment="Item."
    )
    position: Mapped[int] = mapped_column(SmallInteger, comment="Order in the outfit (1-based).")


class Cluster(Base):
    """Items that look alike: one subcategory in one colour family."""

    __tablename__ = "cluster"
    __table_args__ = table_args(
        "Clusters of look-alike items keyed 'subcategory:colour'; the key never changes.",
        Index("ix_cluster_big_class", "big_class"),
    )

    key: Mapped[str] = mapped_column(
        String(64), primary_key=True, comment="Stable key 'subcategory:colour' (colour may be unknown)."
    )
    big_class: Mapped[str] = mapped_column(String(16), comment="Big class of the subcategory.")
    subcategory: Mapped[str] = mapped_column(String(32), comment="Normalised subcategory.")
    color_family: Mapped[str] = mapped_column(String(16), comment="Colour family or 'unknown'.")
    item_count: Mapped[int] = mapped_column(Integer, default=0, comment="Items in the cluster.")
    outfit_count: Mapped[int] = mapped_column(
        Integer, default=0, comment="Outfits containing at least one item of the cluster."
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now(), comment="Last recount."
    )


class SurveyResponse(Base):
    """A shopper's 1-5 rating of a recommended item or an outfit."""

    __tablename__ = "survey_response"
    __table_args__ = table_args(
        "In-app survey answers: did the recommended item / outfit go with the shopper's garment?",
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("target_kind IN ('item', 'outfit')", name="target_kind"),
        Index("ix_survey_response_created_at", "created_at"),
        Index("ix_survey_response_session_id", "session_id"),
        Index("ix_survey_response_experiment_variant", "experiment", "variant"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, comment="Surrogate key.")
    session_id: Mapped[str] = mapped_column(String(64), comment="Anonymous browser session.")
    target_kind: Mapped[str] = mapped_column(String(16), comment="item or outfit.")
    item_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("item.id", ondelete="SET NULL"), comment="Rated recommended item."
    )
    outfit_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("outfit.id", ondelete="SET NULL"), comment="Rated outfit."
    )
    query_item_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("item.id", ondelete="SET NULL"),
        comment="The shopper's garment the recommendation was for (NULL if described).",
    )
    rating: Mapped[int] = mapped_column(SmallInteger, comment="1 (does not fit) to 5 (fits well).")
    comment: Mapped[str | None] = mapped_column(Text, comment="Optional free text.")
    experiment: Mapped[str | None] = mapped_column(
        String(64), comment="A/B experiment the session was in when this was written (settings.experiment)."
    )
    variant: Mapped[str | None] = mapped_column(
        String(32), comment="The session's variant of that experiment (hash of salt and session id)."
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), comment="When it was answered (UTC)."
    )


class InteractionEvent(Base):
    """A usage event sent by the app: what was searched, shown and clicked."""

    __tablename__ = "interaction_event"
    __table_args__ = table_args(
        "Usage events from the app (search, view, recommendation_shown, click, shop_link_open).",
        CheckConstraint(
            "event_type IN ('search', 'view', 'recommendation_shown', 'click', 'shop_link_open')",
            name="event_type",
        ),
        Index("ix_interaction_event_type_created", "event_type", "created_at"),
        Index("ix_interaction_event_item_id", "item_id"),
        Index("ix_interaction_event_session_id", "session_id"),
        Index("ix_interaction_event_experiment_variant", "experiment", "variant"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, comment="Surrogate key.")
    session_id: Mapped[str] = mapped_column(String(64), comment="Anonymous browser session.")
    event_type: Mapped[str] = mapped_column(String(32), comment="Kind of event.")
    item_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("item.id", ondelete="SET NULL"), comment="Item shown or clicked."
    )
    outfit_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("outfit.id", ondelete="SET NULL"), comment="Outfit shown or clicked."
    )
    query_item_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("item.id", ondelete="SET NULL"), comment="The garment being matched."
    )
    query_text: Mapped[str | None] = mapped_column(String(200), comment="Search text, if any.")
    rank: Mapped[int | None] = mapped_column(SmallInteger, comment="Position in the list shown.")
    detail: Mapped[dict | None] = mapped_column(JSON, comment="Extra JSON (filters, page, ...).")
    experiment: Mapped[str | None] = mapped_column(
        String(64), comment="A/B experiment the session was in when this was written (settings.experiment)."
    )
    variant: Mapped[str | None] = mapped_column(
        String(32), comment="The session's variant of that experiment (hash of salt and session id)."
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), comment="When it happened (UTC)."
    )


class CrawlPage(Base):
    """The crawler's resumable frontier and log: one row per URL ever discovered."""

    __tablename__ = "crawl_page"
    __table_args__ = table_args(
        "Crawler frontier and crawled pages: pending rows are the queue, done/failed the log.",
        UniqueConstraint("url"),
        CheckConstraint(
            "state IN ('pending', 'in_progress', 'done', 'failed', 'skipped')", name="state"
        ),
        Index("ix_crawl_page_state_order", "state", "stack_order"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, comment="Surrogate key.")
    url: Mapped[str] = mapped_column(exact_string(700), comment="Absolute URL.")
    kind: Mapped[str] = mapped_column(String(16), comment="list, outfit, item or image.")
    depth: Mapped[int] = mapped_column(Integer, default=0, comment="Links from the start URL.")
    parent_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("crawl_page.id", ondelete="SET NULL"), comment="Page that linked here."
    )
    stack_order: Mapped[int] = mapped_column(
        BigInteger, default=0, comment="Depth-first order: the highest pending value goes next."
    )
    state: Mapped[str] = mapped_column(
        String(16), default="pending", comment="pending, in_progress, done, failed or skipped."
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, comment="Fetch attempts so far.")
    http_status: Mapped[int | None] = mapped_column(Integer, comment="Last HTTP status seen.")
    last_error: Mapped[str | None] = mapped_column(Text, comment="Why the last attempt failed.")
    claimed_by: Mapped[str | None] = mapped_column(String(64), comment="Worker holding it.")
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime, comment="When it was claimed.")
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime, comment="When it finished.")
    payload: Mapped[str | None] = mapped_column(
        Text,
        comment="JSON the crawler read from the page and still needs (outfit fields, member item links).",
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), comment="When it was discovered."
    )


class CrawlHost(Base):
    """One row per crawled host: when its next request may start, shared by every crawl worker."""

    __tablename__ = "crawl_host"
    __table_args__ = table_args(
        "Per-host politeness shared by all crawl workers: the earliest time of the next request."
    )

    host: Mapped[str] = mapped_column(
        exact_string(255), primary_key=True, comment="host[:port] of the crawled site."
    )
    next_allowed_us: Mapped[int] = mapped_column(
        BigInteger, default=0,
        comment="Earliest start of the next request, microseconds since the Unix epoch.",
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), comment="When the host was first crawled."
    )


class Closet(Base):
    """A shopper's saved wardrobe, addressed only by its unguessable id (no login)."""

    __tablename__ = "closet"
    __table_args__ = table_args(
        "A shopper's closet (내 옷장): no account, the random id in the page URL is the only key.",
    )

    id: Mapped[str] = mapped_column(
        exact_string(32), primary_key=True,
        comment="32 lowercase hex characters from secrets.token_hex(16): 128 random bits.",
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), comment="When the closet was created (UTC)."
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now(),
        comment="When a garment was last added or removed (UTC).",
    )


class ClosetEntry(Base):
    """One garment in a closet: a catalogue item, or a garment the shopper described."""

    __tablename__ = "closet_entry"
    __table_args__ = table_args(
        "Garments in a closet: either item_id (a catalogue item) or big_class/subcategory/colour "
        "(a described garment), never both.",
        UniqueConstraint("closet_id", "item_id"),
        CheckConstraint("(item_id IS NULL) <> (big_class IS NULL)", name="item_or_garment"),
        Index("ix_closet_entry_item_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, comment="Surrogate key (entry_id in the API).")
    closet_id: Mapped[str] = mapped_column(
        exact_string(32), ForeignKey("closet.id", ondelete="CASCADE"), comment="The closet."
    )
    item_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("item.id", ondelete="CASCADE"),
        comment="The catalogue item; NULL for a described garment.",
    )
    big_class: Mapped[str | None] = mapped_column(
        String(16), comment="Described garment: normalised big class; NULL for a catalogue item."
    )
    subcategory: Mapped[str | None] = mapped_column(
        String(32), comment="Described garment: normalised subcategory key."
    )
    color_family: Mapped[str | None] = mapped_column(
        String(16), comment="Described garment: colour family."
    )
    gender: Mapped[str | None] = mapped_column(
        String(16), comment="Described garment: male, female or unisex; NULL when not given."
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), comment="When the garment was added (UTC)."
    )
