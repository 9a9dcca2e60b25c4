"""Candidate scoring for large catalogues (model/recommender/candidates.py): the size threshold lowered
so it runs on small synthetic catalogues, checked against scoring every item (the same code path)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import model.recommender.api as api
from benchmarks.synthetic import synthetic_catalogue
from model.recommender import GarmentQuery, Recommender
from model.recommender.artifact import save_artifact
from model.recommender.data import TrainingSet
from model.recommender.lightgcn import LightGCNConfig
from model.recommender.model import ClosetConfig, ClosetModel
from tests.model.recommender.conftest import PER_CLUSTER


def item_id(cluster: int, i: int) -> int:
    return 100 + cluster * PER_CLUSTER + i


def ids(found) -> list[int]:  # noqa: ANN001
    return [r.item_id for r in found]


@pytest.fixture()
def artifact(synthetic: TrainingSet, tiny_config: ClosetConfig, tmp_path: Path) -> Path:
    save_artifact(ClosetModel(tiny_config).fit(synthetic), tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's synthetic catalogue at 3,000 items: more items than the index's candidates."""
    path = tmp_path_factory.mktemp("larger")
    config = ClosetConfig(gcn=LightGCNConfig(dim=16, max_epochs=2, progress=False), validation_share=0.0)
    save_artifact(ClosetModel(config).fit(synthetic_catalogue(3000, 1500)), path)
    return path


def test_below_the_threshold_every_item_is_scored(artifact: Path) -> None:
    assert Recommender.load(artifact).candidate_index is None  # the default threshold: 200,000 items
    rec = Recommender.load(artifact, exact_below=31)  # 30 items
    assert rec.candidate_index is None
    assert Recommender.load(artifact, exact_below=30).candidate_index is not None


def test_candidate_scores_are_the_whole_catalogues_scores(larger: Path) -> None:
    rec = Recommender.load(larger, floor=0.0, exact_below=0)
    everyone = np.arange(len(rec))
    for q in range(0, len(rec), 97):
        terms = rec._item_terms(q)
        full = rec._scores(terms)
        np.testing.assert_array_equal(rec._scores(terms, everyone), full)  # one code path, bit for bit
        rows = rec._candidates(terms, [])
        assert len(rows) < len(rec)
        np.testing.assert_array_equal(rec._scores(terms, rows)[rows], full[rows])
        assert set(rec.item_item[q].indices) <= set(rows)  # worn together: always a candidate


@pytest.mark.parametrize("floor", [0.0, None])  # None: the artifact's floor
def test_same_lists_as_exact_when_the_candidates_cover_the_catalogue(artifact: Path, floor: float | None
                                                                      ) -> None:
    exact = Recommender.load(artifact, floor=floor)
    fast = Recommender.load(artifact, floor=floor, exact_below=0)
    assert fast.candidate_index is not None and exact.candidate_index is None
    for item in exact.item_ids.tolist():
        for kwargs in ({"k": 10}, {"k": 12, "per_big_class": 3}, {"k": 10, "exclude_same_big_class": False}):
            want, got = exact.recommend(item, **kwargs), fast.recommend(item, **kwargs)
            assert ids(got) == ids(want)
            assert [r.probability for r in got] == pytest.approx([r.probability for r in want])
            assert [r.reason for r in got] == [r.reason for r in want]
    garment = GarmentQuery("top", "shirt", "white", brand="alpha", gender="male")
    assert ids(fast.recommend(garment=garment, k=10)) == ids(exact.recommend(garment=garment, k=10))


def test_larger_catalogue_mostly_agrees_with_exact(larger: Path) -> None:
    exact = Recommender.load(larger, floor=0.0)
    fast = Recommender.load(larger, floor=0.0, exact_below=0)
    queries = exact.item_ids[::50].tolist()
    found = [len(set(ids(fast.recommend(q))) & set(ids(exact.recommend(q)))) for q in queries]
    assert sum(found) / (10 * len(queries)) >= 0.8  # a floor, not the benchmark's figure
    for q in queries:  # whatever the candidates miss, the rules and the order hold
        got = fast.recommend(q, k=10)
        assert len(got) == 10 and len({fast.lookalike[fast.index[r.item_id]] for r in got}) == 10
        assert [r.score for r in got] == sorted((r.score for r in got), reverse=True)
        assert {r.big_class for r in got}.isdisjoint({fast.big_classes[fast.big_class[fast.index[q]]]})


class Boost:
    """A feedback-like adjustment that lifts one item far above every other for any query."""

    def __init__(self, row: int) -> None:
        self.row = row

    def rows(self, recommender: Recommender, query_item_id: int | None,
             query_cluster: str | None) -> np.ndarray:
        return np.array([self.row])

    def apply(self, recommender: Recommender, scores: np.ndarray, scale: float, bias: float,
              query_item_id: int | None, query_cluster: str | None) -> None:
        scores[self.row] += 100.0


def test_adjust_reaches_items_the_index_does_not_offer(larger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "CANDIDATES", 1)
    rec = Recommender.load(larger, floor=0.0, exact_below=0)
    q = 0
    terms = rec._item_terms(q)
    others = np.flatnonzero(rec.big_class != rec.big_class[q])
    outside = np.setdiff1d(others, rec._candidates(terms, []))
    assert len(outside)
    boosted = int(outside[0])
    found = rec.recommend(int(rec.item_ids[q]), k=10, adjust=Boost(boosted))
    assert found[0].item_id == int(rec.item_ids[boosted])


def test_index_finds_the_best_rows_with_skewed_norms() -> None:
    """A few long rows (popular items) win most queries; the head scores them exactly, the IVF the rest."""
    from model.recommender.candidates import CandidateIndex

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(20, 16))
    rows = (centres[rng.integers(20, size=5000)] + 0.3 * rng.normal(size=(5000, 16))).astype(np.float32)
    rows *= rng.lognormal(0.0, 0.5, size=(5000, 1)).astype(np.float32)
    static = {kind: rng.normal(-4.0, 0.3, size=5000).astype(np.float32) for kind in ("warm", "cold")}
    index = CandidateIndex(rows, static, probes=4)
    assert len(index.head) == 5000 // 8 and index.width % 16 == 0
    found = []
    for q in range(0, 5000, 50):
        vector = rows[q] * 0.5
        best = np.argsort(-(rows @ vector + static["warm"]))[:10]
        got = index.search(vector, "warm", 64)
        assert len(got) <= 128 and len(np.unique(got)) == len(got)
        found.append(len(set(best.tolist()) & set(got.tolist())) / 10)
    assert np.mean(found) >= 0.97  # 0.92 with the IVF alone (no head)


def test_brand_tables_are_computed_once_and_read_only(larger: Path) -> None:
    rec = Recommender.load(larger)
    brand = int(rec.brand_ids[0])
    first = rec._brand_steps("warm", brand)[0]
    assert rec._brand_steps("warm", brand)[0] is first and not first.values.flags.writeable
    assert rec._brand_steps("cold", brand)[0] is not first  # one table per blend
