"""Versioned artifacts: a fitted ClosetModel as plain numpy arrays plus JSON metadata (no pickle).

Layout: `<artifact_dir>/recommender/<UTC time>-<snapshot id>/{arrays.npz, meta.json}` and a
`LATEST` file naming the newest version, written last so a reader never sees a half-written artifact.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from model.recommender.features import FEATURES
from model.recommender.shopper import shopper_arrays

if TYPE_CHECKING:  # training only: importing the model would pull in torch
    from model.recommender.model import ClosetModel

FORMAT_VERSION = 6  # 2: garment types, type co-occurrence and audience codes; 3: audience weights;
# 4: per-item gender and look-alike keys (shopper.py); 5: brand partners (brand_brand); 6: subcategory lift
# (the outfit score's fifth feature)
SUBDIR = "recommender"
LATEST = "LATEST"


class ArtifactMissing(FileNotFoundError):
    """No trained recommender artifact exists yet (run `python -m model.train`)."""


def _csr(prefix: str, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
    matrix = sp.csr_matrix(matrix)
    return {f"{prefix}_indptr": matrix.indptr, f"{prefix}_indices": matrix.indices,
            f"{prefix}_data": matrix.data.astype(np.float32), f"{prefix}_shape": np.asarray(matrix.shape)}


def load_csr(arrays: dict, prefix: str) -> sp.csr_matrix:
    return sp.csr_matrix((arrays[f"{prefix}_data"], arrays[f"{prefix}_indices"], arrays[f"{prefix}_indptr"]),
                         shape=tuple(arrays[f"{prefix}_shape"]))


def save_artifact(model: ClosetModel, artifact_dir: Path, extra: dict | None = None) -> Path:
    """Write the model's arrays and metadata as a new version; returns its directory."""
    cat = model.data.catalogue
    snapshot = model.data.snapshot_id()
    names, codes = np.unique(cat.big_class, return_inverse=True)
    cluster_big = np.full(cat.n_clusters, -1, dtype=np.int64)
    cluster_big[cat.cluster] = codes
    content = model.content
    arrays = {
        "item_ids": np.asarray(cat.item_ids, dtype=np.int64),
        "big_class": codes.astype(np.int64), "cluster": cat.cluster, "cluster_big_class": cluster_big,
        "group": cat.group, "garment_type": cat.garment_type, "audience": cat.audience,
        "audience_weights": model.audience_weights,
        "recommendable": cat.recommendable, "popularity": model.signals.popularity,
        "cluster_log_prob": model.signals.cluster_log_prob,
        "item_in_cluster_log_prob": model.signals.item_in_cluster_log_prob,
        "gcn_items": model.gcn.item_embedding.astype(np.float32),
        "gcn_clusters": model.gcn.cluster_embedding.astype(np.float32),
        "content_vectors": model.content_vectors, "brand_ids": model.brand_ids,
        "content_idf": content.idf,
        **_csr("item_item", model.signals.item_item),
        **_csr("item_cluster", model.signals.item_cluster_counts),
        **_csr("group_group", model.signals.group_group),
        **_csr("type_item", model.signals.type_item),
        **_csr("item_type", model.signals.item_type),
        **_csr("brand_brand", model.signals.brand_brand),
        "subcategory_lift": model.signals.subcategory_lift,
        **shopper_arrays(cat),  # gender and look-alike keys for recommend's rules (shopper.py)
    }
    if content.components is not None:
        arrays["content_components"] = content.components
    meta = {
        "format_version": FORMAT_VERSION, "snapshot_id": snapshot,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"), "n_items": len(cat),
        "n_outfits": len(model.data.outfits), "big_classes": names.tolist(), "cluster_keys": cat.cluster_keys,
        "item_brand": [b or "" for b in cat.brand], "content_vocabulary": content.vocabulary,
        "brands": content.brands, "features": list(FEATURES),
        "blends": {kind: {"weights": blend.weights.tolist(), "scale": blend.scale, "bias": blend.bias,
                          "fitted": blend.fitted} for kind, blend in model.blends.items()},
        "outfit_score": model.outfit_combiner.as_dict(),
        "report": model.report, "random_probability": model.random_probability, **(extra or {}),
    }
    root = Path(artifact_dir) / SUBDIR
    version = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{snapshot}"
    target = root / version
    target.mkdir(parents=True, exist_ok=False)
    np.savez(target / "arrays.npz", **arrays)
    (target / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    pointer = root / f".{LATEST}.tmp"
    pointer.write_text(version, encoding="utf-8")
    os.replace(pointer, root / LATEST)
    return target


def latest_artifact(artifact_dir: Path) -> Path:
    root = Path(artifact_dir) / SUBDIR
    try:
        version = (root / LATEST).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ArtifactMissing(f"no recommender artifact in {root}; run `python -m model.train`") from None
    path = root / version
    if not (path / "meta.json").exists() or "/" in version or version.startswith("."):
        raise ArtifactMissing(f"{root / LATEST} names {version!r}, which is not a complete artifact")
    return path


def read_meta(path: Path) -> dict:
    """An artifact's meta.json (ArtifactMissing for another format), without reading its arrays."""
    meta = json.loads((Path(path) / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format_version") != FORMAT_VERSION:
        raise ArtifactMissing(f"{path} has format {meta.get('format_version')}, expected {FORMAT_VERSION}")
    return meta


def read_artifact(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    meta = read_meta(path)
    with np.load(Path(path) / "arrays.npz", allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    return arrays, meta


def current_artifact(data_snapshot: str, artifact_dir: Path) -> Path | None:
    """The latest artifact if it was trained on this snapshot of the data, else None (`train --if-stale`
    and the refresh ask this; only meta.json is read, and torch is not imported)."""
    try:
        path = latest_artifact(artifact_dir)
        meta = read_meta(path)
    except (ArtifactMissing, OSError, ValueError):
        return None
    return path if meta.get("snapshot_id") == data_snapshot else None
