"""The feedback job on a real database (both engines): attribution, incremental watermark, the term."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from db.engine import session_scope
from db.models import InteractionEvent, SurveyResponse
from model.feedback.__main__ import run_feedback_job
from model.feedback.evidence import FEEDBACK_DIR, Evidence, both_directions, feedback_term
from model.feedback.job import OPEN, EventLog, run
from model.feedback.scorer import FeedbackScorer
from tests.backend.factories import add_items


def _shown(session: str, query: int, item: int, rank: int, garment: list | None = None) -> InteractionEvent:
    detail = {"probability": 0.8, "garment": garment or ["bottom", "slacks", "navy"], "randomised": False}
    return InteractionEvent(session_id=session, event_type="recommendation_shown", query_item_id=query,
                            item_id=item, rank=rank, detail=detail)


def _add(url: str, *rows: object) -> None:
    with session_scope(url) as session:
        session.add_all(rows)


def test_job_attributes_clicks_and_reads_only_new_events(db_url: str, tmp_path: Path) -> None:
    query, a, b = add_items(db_url, {"name": "바지", "big_class": "bottom"},
                            {"name": "셔츠", "big_class": "top"}, {"name": "캡", "big_class": "headwear"})
    _add(db_url, _shown("s1", query, a, 1), _shown("s1", query, b, 2), _shown("s1", query, a, 1),
         InteractionEvent(session_id="s1", event_type="click", query_item_id=query, item_id=a, rank=1),
         _shown("s2", query, a, 2), _shown("s2", query, b, 1),
         InteractionEvent(session_id="s2", event_type="shop_link_open", query_item_id=query, item_id=a),
         SurveyResponse(session_id="s2", target_kind="item", item_id=b, query_item_id=query, rating=5))
    first = run_feedback_job(db_url, tmp_path, kappa=2.0)
    assert first.impressions == 4 and first.successes == 2 and first.survey_answers == 1
    evidence = Evidence.load(tmp_path / FEEDBACK_DIR)
    items = evidence.items.set_index("item")
    assert items.loc[a, "impressions"] == 2 and items.loc[a, "successes"] == 2 and items.loc[a, "opens"] == 1
    assert items.loc[a, "examinations"] == pytest.approx(1 + 2 ** -evidence.meta["eta"])
    assert items.loc[b, "successes"] == 1 and items.loc[b, "rating_count"] == 1  # rating 5 = one success
    assert set(evidence.clusters["query_cluster"]) == {"slacks:navy"}
    watermark = evidence.meta["last_event_id"]
    assert watermark > 0 and evidence.meta["last_survey_id"] > 0

    again = run_feedback_job(db_url, tmp_path, kappa=2.0)  # nothing new: nothing changes
    assert again.impressions == 0 and again.successes == 0
    assert Evidence.load(tmp_path / FEEDBACK_DIR).items.set_index("item").loc[b, "successes"] == 1

    # a late click on an impression the first run counted: a success, not a second impression
    _add(db_url, InteractionEvent(session_id="s1", event_type="click", query_item_id=query, item_id=b))
    run_feedback_job(db_url, tmp_path, kappa=2.0)
    items = Evidence.load(tmp_path / FEEDBACK_DIR).items.set_index("item")
    assert items.loc[b, "successes"] == 2 and items.loc[b, "impressions"] == 2


def _log(rows: list[tuple], clicks: list[tuple]) -> EventLog:
    shown = pd.DataFrame([(s, q, "c:x", i, r, p, False, True) for s, q, i, r, p in rows],
                         columns=["session", "query_item", "query_cluster", "item", "rank", "probability",
                                  "randomised", "counted"])
    return EventLog(shown, pd.DataFrame([(s, q, i, OPEN) for s, q, i in clicks],
                                        columns=["session", "query_item", "item", "kind"]))


def test_term_is_smoothed_towards_the_model_and_neutral_without_evidence() -> None:
    p = np.array([0.5])
    assert feedback_term(p, 0.2, 10.0, np.array([0.0]), np.array([0.0]))[0] == 0.0
    one_click = feedback_term(p, 0.2, 10.0, np.array([1.0]), np.array([1.0]))[0]
    many = feedback_term(p, 0.2, 10.0, np.array([30.0]), np.array([40.0]))[0]
    ignored = feedback_term(p, 0.2, 10.0, np.array([0.0]), np.array([40.0]))[0]
    assert 0 < one_click < many and ignored < 0
    assert feedback_term(p, 0.2, 100.0, np.array([1.0]), np.array([1.0]))[0] < one_click  # a stronger prior


class _Model:
    """The two things the hook reads from a recommender: its item ids."""

    item_ids = np.array([10, 11, 12, 13], dtype=np.int64)


def test_scorer_lifts_clicked_and_sinks_ignored_items_only_for_their_query() -> None:
    evidence = Evidence()
    rows = [(f"s{n}", 1, item, rank, 0.9) for n in range(20) for rank, item in enumerate((10, 11, 12), 1)]
    run(evidence, _log(rows, [(f"s{n}", 1, 12) for n in range(20)]), kappa=5.0)
    scorer = FeedbackScorer(evidence)
    scores = np.array([2.0, 1.9, 1.8, 1.7], dtype=np.float32)
    adjusted = scores.copy()
    scorer.apply(_Model(), adjusted, 1.0, 0.0, 1, "c:x")
    assert adjusted[2] > adjusted[0] and adjusted[0] < scores[0] and adjusted[3] == scores[3]
    other_query = scores.copy()
    scorer.apply(_Model(), other_query, 1.0, 0.0, 99, "c:x")
    assert np.array_equal(other_query, scores)  # unknown pairs are neutral
    assert len(FeedbackScorer(Evidence())) == 0


def test_both_directions_sums_each_pair_with_its_reverse_by_hand() -> None:
    items = pd.DataFrame({"query_item": [1, 2, 1], "item": [2, 1, 3], "impressions": [4.0, 1.0, 2.0],
                          "examinations": [2.0, 0.5, 1.0], "successes": [1.0, 0.0, 1.0],
                          "opens": [1.0, 0.0, 0.0],
                          "rating_sum": [0.0, 0.0, 5.0], "rating_count": [0.0, 0.0, 1.0]})
    both = both_directions(items).set_index(["query_item", "item"]).sort_index()
    assert list(both.index) == [(1, 2), (1, 3), (2, 1), (3, 1)]
    assert both.loc[(1, 2), "examinations"] == both.loc[(2, 1), "examinations"] == 2.5
    assert both.loc[(1, 2), "successes"] == both.loc[(2, 1), "successes"] == 1.0
    assert both.loc[(3, 1)].to_dict() == both.loc[(1, 3)].to_dict() == items.iloc[2, 2:].to_dict()
    assert both_directions(Evidence().items).empty


class _Both:
    item_ids = np.array([1, 10, 11, 12], dtype=np.int64)


def test_a_pick_for_one_garment_lifts_that_garment_on_the_picked_items_page() -> None:
    """Shoppers with item 1 picked 12: the next shopper looking at 12 sees 1 rise, though nobody was ever
    shown 1 for 12."""
    evidence = Evidence()
    rows = [(f"s{n}", 1, item, rank, 0.9) for n in range(20) for rank, item in enumerate((10, 11, 12), 1)]
    run(evidence, _log(rows, [(f"s{n}", 1, 12) for n in range(20)]), kappa=5.0)
    scores = np.array([1.0, 2.0, 1.9, 1.8], dtype=np.float32)
    adjusted = scores.copy()
    FeedbackScorer(evidence).apply(_Both(), adjusted, 1.0, 0.0, 12, "c:x")
    assert adjusted[0] > scores[0] and adjusted[0] > adjusted[1]
    assert np.array_equal(adjusted[1:], scores[1:])  # 10 and 11 were never shown for 12, nor 12 for them


def test_the_refresh_step_adds_new_events_once_and_otherwise_writes_nothing(db_url: str,
                                                                           tmp_path: Path) -> None:
    from pipeline.steps import RefreshConfig, feedback_step

    config = RefreshConfig(database_url=db_url, artifact_dir=tmp_path)
    evidence_file = tmp_path / FEEDBACK_DIR / "evidence.npz"
    assert feedback_step(config).startswith("feedback: up to date (no new events), ")
    assert not evidence_file.exists()  # no events yet: nothing written
    query, a = add_items(db_url, {"name": "바지", "big_class": "bottom"},
                         {"name": "셔츠", "big_class": "top"})
    _add(db_url, _shown("s1", query, a, 1),
         InteractionEvent(session_id="s1", event_type="click", query_item_id=query, item_id=a, rank=1))
    assert feedback_step(config).startswith("feedback: 1 new impressions, 1 clicks, 0 survey answers, ")
    stamp = evidence_file.stat().st_mtime_ns
    assert feedback_step(config).startswith("feedback: up to date (no new events), ")
    assert evidence_file.stat().st_mtime_ns == stamp
