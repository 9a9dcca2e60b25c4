"""Small, structured synthetic data: two outfit styles whose clusters always go together."""

from __future__ import annotations

import numpy as np
import pytest

from model.evaluation.protocol import Corpus
from model.recommender.data import TrainingSet, build_catalogue
from model.recommender.lightgcn import LightGCNConfig
from model.recommender.model import ClosetConfig

# (big_class, cluster_key, Korean-ish name stem, brand) per cluster; style A = first three, B = last three.
CLUSTERS = [
    ("top", "shirt:white", "화이트 옥스포드 셔츠", "alpha"),
    ("bottom", "slacks:navy", "네이비 와이드 슬랙스", "alpha"),
    ("shoes", "sneakers:black", "블랙 캔버스 스니커즈", "beta"),
    ("top", "tee_short:black", "블랙 그래픽 반팔 티셔츠", "gamma"),
    ("bottom", "denim_pants:blue", "블루 워싱 데님 팬츠", "gamma"),
    ("shoes", "boots:brown", "브라운 워커 부츠", "delta"),
]
PER_CLUSTER = 5  # item 4 of every cluster appears in no outfit (a cold item)


def synthetic_training_set(outfits_per_style: int = 30, seed: int = 0) -> TrainingSet:
    rows = []
    for c, (big, key, name, brand) in enumerate(CLUSTERS):
        sub, _, color = key.partition(":")
        for i in range(PER_CLUSTER):
            # Audience fields as Mango has them; item 3 has none (neutral); exercises serving's agreement.
            audience = {"gender": "female", "line": "SHE", "age": "adult"} if i != 3 else {}
            rows.append({"id": 100 + c * PER_CLUSTER + i, "big_class": big, "cluster_key": key,
                         "subcategory": sub, "color": color, "name": f"{name} {i}", "brand": brand,
                         "garment_type": f"{sub}|{'J-JEANS' if 'denim' in sub else 'P-PLANA'}", **audience})
    catalogue = build_catalogue(rows)
    rng = np.random.default_rng(seed)
    outfits = []
    for style in (0, 1):
        for _ in range(outfits_per_style):
            picks = rng.integers(PER_CLUSTER - 1, size=3)
            outfits.append([(style * 3 + c) * PER_CLUSTER + int(picks[c]) for c in range(3)])
    return TrainingSet(catalogue, outfits)


@pytest.fixture()
def tiny_config() -> ClosetConfig:
    return ClosetConfig(gcn=LightGCNConfig(dim=16, max_epochs=8, batch_size=64, progress=False))


@pytest.fixture()
def synthetic() -> TrainingSet:
    return synthetic_training_set()


def hand_made_corpus(categories: list[str], train: list[list[int]], test: list[list[int]]) -> Corpus:
    """A corpus of items i0, i1, ... of the given categories, for metrics worked out by hand."""
    rows = [{"id": f"i{n}", "big_class": c, "cluster_key": f"{c}:x", "name": f"item {n}", "brand": None}
            for n, c in enumerate(categories)]
    catalogue = build_catalogue(rows)
    return Corpus(TrainingSet(catalogue, train), test, catalogue.big_class.copy())
