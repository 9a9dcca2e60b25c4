"""Fill every item's features in the database, incrementally, and rebuild the co-occurrence counts.

For each item the inputs (source, name, raw categories, raw colour, image path and image method)
are hashed; only items whose hash differs from ``item.features_hash`` are recomputed and written,
so a second run over unchanged data writes nothing. Colour precedence: the source's own colour
field (Mango's fine colour, or a structured colour option) > the name > the image.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from db.engine import get_engine
from db.models import Cluster, Item, OutfitItem
from db.settings import get_settings
from model.features.clusters import cluster_index, cluster_key, parse_cluster_key
from model.features.cooccurrence import Cooccurrence, build_cooccurrence
from model.features.describe import describe_item

LOG = logging.getLogger(__name__)

#: Bump when the feature rules change, so the next build recomputes every item.
FEATURES_VERSION = "1"
COOCCURRENCE_FILE = "cooccurrence.npz"
_FEATURE_COLUMNS = ("big_class", "subcategory", "is_recommendable", "color_family", "color_source",
                    "dominant_rgb", "feature_note", "features_hash", "cluster_key")


@dataclass
class BuildReport:
    """What one build did (printed as JSON by the CLI)."""

    items: int = 0
    changed: int = 0
    images_read: int = 0
    clusters: int = 0
    clusters_changed: int = 0
    outfits: int = 0
    color_sources: dict[str, int] = field(default_factory=dict)
    image_method: str = "off"
    seconds: float = 0.0
    cooccurrence_path: str | None = None


@dataclass(frozen=True)
class ItemInputs:
    id: int
    source: str
    name: str
    big_class_raw: str | None
    subcategory_raw: str | None
    color_raw: str | None
    image_path: str | None


def features_hash(inputs: ItemInputs, image_method: str) -> str:
    """Hash of everything the features depend on (the image only matters when it is read)."""
    image = [inputs.image_path, image_method] if inputs.image_path and image_method != "off" else None
    payload = [FEATURES_VERSION, inputs.source, inputs.name, inputs.big_class_raw, inputs.subcategory_raw,
               inputs.color_raw, image]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()


def text_features(inputs: ItemInputs) -> dict[str, object]:
    """Category and colour from text alone (source fields and name); colour may stay None."""
    described = describe_item(inputs.source, inputs.big_class_raw, inputs.subcategory_raw, inputs.color_raw,
                              inputs.name)
    return {
        "big_class": described.big_class, "subcategory": described.subcategory,
        "is_recommendable": described.recommendable, "color_family": described.color_family,
        "color_source": described.color_source, "dominant_rgb": None, "notes": list(described.notes),
    }


def _finish(features: dict[str, object], digest: str) -> dict[str, object]:
    notes = features.pop("notes")
    subcategory = features["subcategory"]
    features["cluster_key"] = cluster_key(subcategory, features["color_family"]) if subcategory else None
    if features["color_family"] is not None:  # keep only notes that still matter
        notes = [note for note in notes if note.startswith("not a")]
    features["feature_note"] = "; ".join(notes)[:255] or None
    features["features_hash"] = digest
    return features


def _load_inputs(connection: Connection) -> tuple[list[ItemInputs], dict[int, dict[str, object]]]:
    table = Item.__table__
    rows = connection.execute(select(
        table.c.id, table.c.source, table.c.name, table.c.big_class_raw, table.c.subcategory_raw,
        table.c.color_raw, table.c.image_path, *(table.c[name] for name in _FEATURE_COLUMNS),
    ).order_by(table.c.id)).mappings().all()
    inputs = [ItemInputs(r["id"], r["source"], r["name"] or "", r["big_class_raw"], r["subcategory_raw"],
                         r["color_raw"], r["image_path"]) for r in rows]
    current = {r["id"]: {name: r[name] for name in _FEATURE_COLUMNS} for r in rows}
    return inputs, current


def _ensure_clusters(connection: Connection, keys: set[str]) -> None:
    table = Cluster.__table__
    existing = set(connection.execute(select(table.c.key)).scalars())
    missing = sorted(keys - existing)
    if missing:
        rows = []
        for key in missing:
            big, subcategory, color = parse_cluster_key(key)
            rows.append({"key": key, "big_class": big, "subcategory": subcategory, "color_family": color,
                         "item_count": 0, "outfit_count": 0})
        connection.execute(insert(table), rows)


def _write_items(connection: Connection, changes: list[dict[str, object]]) -> None:
    table = Item.__table__
    statement = update(table).where(table.c.id == bindparam("b_id")).values(
        {name: bindparam(f"b_{name}") for name in _FEATURE_COLUMNS})
    for start in range(0, len(changes), 1000):
        batch = [{"b_id": c["id"], **{f"b_{name}": c[name] for name in _FEATURE_COLUMNS}}
                 for c in changes[start:start + 1000]]
        connection.execute(statement, batch)


def _recount_clusters(connection: Connection) -> tuple[int, int]:
    """Item and outfit counts per cluster; writes only counts that changed. Returns (total, changed)."""
    item_table, member_table, table = Item.__table__, OutfitItem.__table__, Cluster.__table__
    item_counts = dict(connection.execute(
        select(item_table.c.cluster_key, func.count()).where(item_table.c.cluster_key.is_not(None))
        .group_by(item_table.c.cluster_key)).all())
    outfit_counts = dict(connection.execute(
        select(item_table.c.cluster_key, func.count(func.distinct(member_table.c.outfit_id)))
        .join(member_table, member_table.c.item_id == item_table.c.id)
        .where(item_table.c.cluster_key.is_not(None)).group_by(item_table.c.cluster_key)).all())
    stored = connection.execute(select(table.c.key, table.c.item_count, table.c.outfit_count)).all()
    changed, empty = [], []
    for key, item_count, outfit_count in stored:
        new_items, new_outfits = item_counts.get(key, 0), outfit_counts.get(key, 0)
        if new_items == 0:
            empty.append(key)
        elif (item_count, outfit_count) != (new_items, new_outfits):
            changed.append({"b_key": key, "b_items": new_items, "b_outfits": new_outfits})
    if changed:
        connection.execute(update(table).where(table.c.key == bindparam("b_key")).values(
            item_count=bindparam("b_items"), outfit_count=bindparam("b_outfits")), changed)
    if empty:
        connection.execute(delete(table).where(table.c.key.in_(empty)))
    return len(stored) - len(empty), len(changed) + len(empty)


def _image_colours(paths: Sequence[str], workers: int, use_u2netp: bool | None, image_dir: Path,
                   cache_dir: Path) -> dict[str, object]:
    from model.features.image_colour import extract_paths

    full = [_inside(image_dir, path) for path in paths]
    results = extract_paths(full, workers=workers, cache_dir=cache_dir, use_u2netp=use_u2netp)
    return dict(zip(paths, results, strict=True))


def _inside(root: Path, relative: str) -> Path | None:
    """`root / relative` if it stays inside root (image_path comes from data, never trust it)."""
    path = (root / relative).resolve()
    return path if path.is_relative_to(root.resolve()) else None


def build_features(url: str | None = None, *, images: bool = True, workers: int = 1,
                   use_u2netp: bool | None = None, artifact_dir: Path | None = None,
                   image_dir: Path | None = None, cache_dir: Path | None = None) -> BuildReport:
    """Compute features for new or changed items, recount clusters, write the co-occurrence artifact."""
    started = time.perf_counter()
    settings = get_settings()
    image_dir = image_dir or settings.image_dir
    cache_dir = cache_dir or settings.data_dir / "cache" / "image_colour"
    report = BuildReport()
    image_method = "off"
    if images:
        from model.features.image_colour import find_u2netp

        image_method = "u2netp" if (use_u2netp is not False and find_u2netp()) else "border"
    report.image_method = image_method
    engine = get_engine(url)
    with engine.begin() as connection:
        inputs, current = _load_inputs(connection)
        report.items = len(inputs)
        pending: list[tuple[ItemInputs, dict[str, object], str]] = []
        for item in inputs:
            digest = features_hash(item, image_method)
            if current[item.id]["features_hash"] == digest:
                continue
            pending.append((item, text_features(item), digest))
        need_image = sorted({i.image_path for i, f, _ in pending
                             if f["color_family"] is None and f["is_recommendable"] and i.image_path})
        colours = (_image_colours(need_image, workers, use_u2netp, image_dir, cache_dir)
                   if need_image and images else {})
        report.images_read = len(colours)
        changes = []
        for item, features, digest in pending:
            found = colours.get(item.image_path) if item.image_path else None
            if found is not None and features["color_family"] is None:
                if found.family:
                    features.update(color_family=found.family, color_source="image",
                                    dominant_rgb=found.dominant_rgb)
                else:
                    features["notes"].append(f"image: {found.reason}")
            features = _finish(features, digest)
            if any(current[item.id][name] != features[name] for name in _FEATURE_COLUMNS):
                changes.append({"id": item.id, **features})
        _ensure_clusters(connection, {c["cluster_key"] for c in changes if c["cluster_key"]})
        _write_items(connection, changes)
        report.changed = len(changes)
        report.clusters, report.clusters_changed = _recount_clusters(connection)
        report.color_sources = dict(Counter(
            connection.execute(select(Item.__table__.c.color_source)).scalars()).most_common())
        report.color_sources = {str(k) if k else "none": v for k, v in report.color_sources.items()}
    cooccurrence, item_ids, keys = cooccurrence_from_db(url)
    report.outfits = cooccurrence.n_outfits
    path = (artifact_dir or settings.artifact_dir) / COOCCURRENCE_FILE
    save_cooccurrence(path, cooccurrence, item_ids, keys)
    report.cooccurrence_path = str(path)
    report.seconds = round(time.perf_counter() - started, 3)
    LOG.info("features built: %s", report)
    return report


def cooccurrence_from_db(url: str | None = None) -> tuple[Cooccurrence, np.ndarray, list[str]]:
    """Co-occurrence over all outfits in the database: (counts, item ids by row, cluster keys by index)."""
    item_table, member_table = Item.__table__, OutfitItem.__table__
    with get_engine(url).connect() as connection:
        items = connection.execute(select(item_table.c.id, item_table.c.cluster_key)
                                   .order_by(item_table.c.id)).all()
        members = connection.execute(select(member_table.c.outfit_id, member_table.c.item_id)
                                     .order_by(member_table.c.outfit_id, member_table.c.position)).all()
    item_ids = np.array([row[0] for row in items], dtype=np.int64)
    row_of = {int(item_id): row for row, item_id in enumerate(item_ids)}
    index = cluster_index(row[1] for row in items if row[1])
    item_cluster = np.array([index.get(row[1], -1) if row[1] else -1 for row in items], dtype=np.int64)
    outfits: dict[int, list[int]] = defaultdict(list)
    for outfit_id, item_id in members:
        outfits[outfit_id].append(row_of[item_id])
    lists = [outfits[outfit_id] for outfit_id in sorted(outfits)]
    counts = build_cooccurrence(lists, item_cluster, len(item_ids), len(index))
    return counts, item_ids, sorted(index)


def save_cooccurrence(path: Path, counts: Cooccurrence, item_ids: np.ndarray,
                      cluster_keys: list[str]) -> None:
    """One .npz with both sparse matrices (CSR parts), popularity, item ids and cluster keys."""
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {"item_ids": item_ids, "cluster_keys": np.array(cluster_keys, dtype=str),
                                     "item_popularity": counts.item_popularity,
                                     "cluster_popularity": counts.cluster_popularity,
                                     "n_outfits": np.array([counts.n_outfits])}
    for name in ("item_item", "cluster_cluster"):
        matrix = getattr(counts, name)
        arrays.update({f"{name}_data": matrix.data, f"{name}_indices": matrix.indices,
                       f"{name}_indptr": matrix.indptr, f"{name}_shape": np.array(matrix.shape)})
    if _stored_equal(path, arrays):
        return  # unchanged: leave the file (and its mtime) alone, so a no-op build writes nothing
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def _stored_equal(path: Path, arrays: dict[str, np.ndarray]) -> bool:
    """True when `path` already holds exactly these arrays."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return set(data.files) == set(arrays) and all(
                data[name].dtype == value.dtype and np.array_equal(data[name], value)
                for name, value in arrays.items())
    except (OSError, ValueError):
        return False


def load_cooccurrence(path: Path) -> tuple[Cooccurrence, np.ndarray, list[str]]:
    """Inverse of :func:`save_cooccurrence`."""
    import scipy.sparse as sp

    with np.load(path, allow_pickle=False) as data:
        matrices = {
            name: sp.csr_matrix((data[f"{name}_data"], data[f"{name}_indices"], data[f"{name}_indptr"]),
                                shape=tuple(data[f"{name}_shape"]))
            for name in ("item_item", "cluster_cluster")
        }
        counts = Cooccurrence(matrices["item_item"], matrices["cluster_cluster"], data["item_popularity"],
                              data["cluster_popularity"], int(data["n_outfits"][0]))
        return counts, data["item_ids"], [str(k) for k in data["cluster_keys"]]
