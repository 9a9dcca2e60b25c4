"""A small, deterministic catalogue for the frontend tests and benchmark: items with generated
photos on disk, clusters, and outfits that combine them (written through the real importer API)."""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from db.engine import session_scope
from db.importers.records import ItemRecord, OutfitRecord
from db.importers.writer import upsert_items, upsert_outfits
from db.models import Cluster, Item
from model.features.colors import FAMILY_RGB
from model.features.vocab import COLOR_NAMES_KO, SUBCATEGORY_NAMES_KO
from model.synthetic_garments import render_garment

SEED_SHOP_BASE = "http://127.0.0.1:8600"  # where the seeded items' shop links point (make run's replica shop)


# (big_class, subcategory, colours): enough of each class for 2x5 grids and five matches per class
CATALOGUE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("top", "shirt", ("white", "sky_blue", "navy", "black")),
    ("top", "tee_short", ("white", "black", "grey", "red")),
    ("top", "knit", ("ivory", "beige", "brown")),
    ("outerwear", "blazer", ("navy", "black", "beige")),
    ("outerwear", "cardigan", ("grey", "ivory", "green")),
    ("bottom", "slacks", ("navy", "black", "grey", "beige")),
    ("bottom", "denim_pants", ("blue", "sky_blue", "black")),
    ("shoes", "sneakers", ("white", "black", "grey")),
    ("shoes", "dress_shoes", ("black", "brown", "burgundy")),
    ("bag", "crossbody", ("black", "brown", "khaki")),
    ("bag", "shoulder_tote", ("ivory", "beige", "black")),
    ("headwear", "cap", ("black", "navy", "beige")),
    ("headwear", "beanie", ("grey", "black", "orange")),
)
BRANDS = ("무신사 스탠다드", "커버낫", "디스이즈네버댓", "마르디", "앤더슨벨")
STYLES = ("캐주얼", "미니멀", "스트릿", "댄디", "아메카지")
SEASONS = ("봄", "여름", "가을", "겨울")
IMAGE_SIZE = 160  # thumbnails: what the grid shows


@dataclass(frozen=True)
class SeededCatalogue:
    item_ids: list[int]
    outfit_ids: list[int]
    shirt_white_id: int  # a known item for tests that search for '셔츠'


def _save_image(image_dir: Path, subcategory: str, color: str, seed: int) -> str:
    """Write a generated garment photo content-addressed under image_dir; returns the relative path."""
    buffer = io.BytesIO()
    render_garment(FAMILY_RGB[color], subcategory, seed=seed, size=IMAGE_SIZE).save(buffer, format="PNG")
    payload = buffer.getvalue()
    digest = hashlib.sha256(payload).hexdigest()
    relative = f"{digest[:2]}/{digest}.png"
    path = image_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    return relative


def seed_catalogue(url: str, image_dir: Path, shop_base: str = SEED_SHOP_BASE, outfits: int = 60,
                   seed: int = 7) -> SeededCatalogue:
    """Fill a migrated database: 55 items in every big class, 42 clusters and `outfits` outfits."""
    rng = random.Random(seed)
    records: list[ItemRecord] = []
    normalised: dict[str, tuple[str, str, str]] = {}
    # the first colour of every subcategory also comes in an oversized cut: two items in one cluster
    variants = [(b, s, c, "") for b, s, cs in CATALOGUE for c in cs] + [(b, s, cs[0], "오버핏 ")
                                                                         for b, s, cs in CATALOGUE]
    for big_class, subcategory, color, cut in variants:
        source_id = f"{subcategory}-{color}" + ("-oversized" if cut else "")
        brand = BRANDS[len(records) % len(BRANDS)]
        name = f"{cut}{COLOR_NAMES_KO[color]} {SUBCATEGORY_NAMES_KO[subcategory]}"
        records.append(ItemRecord(
            source="replica", source_id=source_id, name=name, brand=brand, big_class_raw=big_class,
            subcategory_raw=subcategory, color_raw=color, price=rng.randrange(19, 199) * 1000,
            likes=rng.randrange(0, 5000), gender="unisex",
            image_path=_save_image(image_dir, subcategory, color, len(records)),
            shop_url=f"{shop_base}/goods/{source_id}", tags=[SUBCATEGORY_NAMES_KO[subcategory]],
        ))
        normalised[source_id] = (big_class, subcategory, color)

    with session_scope(url) as session:
        for key in sorted({f"{s}:{c}" for _b, s, c in normalised.values()}):  # Cluster rows first: FK
            sub, color = key.split(":")
            big = next(b for b, s, _c in normalised.values() if s == sub)
            if session.get(Cluster, key) is None:
                session.add(Cluster(key=key, big_class=big, subcategory=sub, color_family=color,
                                    item_count=0, outfit_count=0))
        session.flush()
        ids = upsert_items(session, records)
        rows = session.scalars(select(Item).where(Item.id.in_(list(ids.values())))).all()
        for row in rows:
            big, sub, color = normalised[row.source_id]
            row.big_class, row.subcategory, row.color_family = big, sub, color
            row.is_recommendable, row.cluster_key, row.color_source = True, f"{sub}:{color}", "name"
        for cluster in session.scalars(select(Cluster)):
            cluster.item_count = sum(1 for _b, s, c in normalised.values() if f"{s}:{c}" == cluster.key)

        by_class: dict[str, list[tuple[str, str]]] = {}
        for record in records:
            by_class.setdefault(normalised[record.source_id][0], []).append(record.key)
        outfit_records = []
        for number in range(outfits):
            members = [rng.choice(by_class[b]) for b in ("top", "bottom", "shoes")]
            members += [rng.choice(by_class[b]) for b in ("outerwear", "bag", "headwear")
                        if rng.random() < 0.5]
            style, season = rng.choice(STYLES), rng.choice(SEASONS)
            outfit_records.append(OutfitRecord(
                source="replica", source_id=f"outfit-{number}",
                members=[(key, position) for position, key in enumerate(members, start=1)],
                style=style, season=season, gender="unisex",
                popularity=rng.randrange(100, 20000), page_url=f"{shop_base}/outfits/{number}",
                tags=[style, f"{season} 코디"],
            ))
        outfit_ids = upsert_outfits(session, outfit_records, ids)
        shirt = ids[("replica", "shirt-white")]
        return SeededCatalogue(sorted(ids.values()), sorted(outfit_ids.values()), shirt)


def train_model(database_url: str, artifact_dir: Path) -> bool:
    """Train the real recommender on the seeded catalogue through its own API; False while it has none."""
    try:
        from model.train import train
    except ImportError:
        return False
    train(database_url=database_url, artifact_dir=artifact_dir, seed=0, progress=False)
    return True
