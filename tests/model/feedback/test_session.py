"""Session re-ranking: clicked kinds rise, ignored items sink, within bounds and never below the floor."""

from __future__ import annotations

import math

from model.feedback.session import MAX_SHIFT, SessionSignals, rerank


def _entry(item_id: int, cluster: str, probability: float) -> dict:
    subcategory = cluster.split(":")[0]
    logit = math.log(probability / (1 - probability))
    return {"item": {"id": item_id, "cluster_key": cluster, "subcategory": subcategory},
            "rec": {"item_id": item_id, "score": logit, "probability": probability}}


PAGE = [_entry(1, "slacks:navy", 0.80), _entry(2, "jeans:blue", 0.78), _entry(3, "slacks:black", 0.76),
        _entry(4, "shorts:beige", 0.60)]


def test_without_signals_the_order_is_the_models() -> None:
    assert [e["item"]["id"] for e in rerank(PAGE, SessionSignals(), floor=0.5)] == [1, 2, 3, 4]


def test_clicked_kinds_rise_and_ignored_items_sink() -> None:
    signals = SessionSignals()
    signals.record_click({"id": 99, "cluster_key": "jeans:blue", "subcategory": "jeans"})
    for _ in range(4):
        signals.record_shown(1)
    order = [e["item"]["id"] for e in rerank(PAGE, signals, floor=0.5)]
    assert order[0] == 2  # the kind the shopper clicked
    assert order.index(1) > order.index(3)  # shown four times, never clicked
    shifted = {e["item"]["id"]: e["rec"]["session_shift"] for e in rerank(PAGE, signals, floor=0.5)}
    assert all(abs(v) <= MAX_SHIFT for v in shifted.values())
    assert sorted(e["item"]["id"] for e in rerank(PAGE, signals, floor=0.5)) == [1, 2, 3, 4]  # same items


def test_never_below_the_floor() -> None:
    signals = SessionSignals()
    for _ in range(20):
        signals.record_shown(4)
    [low] = [e for e in rerank(PAGE, signals, floor=0.58) if e["item"]["id"] == 4]
    assert low["rec"]["session_shift"] == -MAX_SHIFT
    assert low["rec"]["probability"] >= 0.58
