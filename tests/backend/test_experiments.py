"""GET /admin/experiments on both engines: variants stamped by the backend, rates and means with intervals."""

from __future__ import annotations

from fastapi.testclient import TestClient

from db.experiments import assign_variant
from db.settings import get_settings
from tests.backend.factories import ADMIN_TOKEN, add_items

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def _sessions_by_variant(count: int) -> dict[str, list[str]]:
    config = get_settings().experiment
    found: dict[str, list[str]] = {name: [] for name in config.variants}
    n = 0
    while any(len(ids) < count for ids in found.values()):
        sid = f"sess-{n}"
        if len(found[assign_variant(config, sid)]) < count:
            found[assign_variant(config, sid)].append(sid)
        n += 1
    return found


def test_experiments_report_counts_per_variant_with_intervals(client: TestClient, db_url: str) -> None:
    assert client.get("/api/v1/admin/experiments").status_code == 401
    query, shirt, cap = add_items(db_url, {"name": "바지", "big_class": "bottom"},
                                  {"name": "셔츠", "big_class": "top", "shop_url": "https://www.musinsa.com/app/goods/1"},
                                  {"name": "캡", "big_class": "headwear"})
    sessions = _sessions_by_variant(4)
    events, ratings = [], {"control": [3, 4, 3, 4], "feedback": [5, 4, 5, 5]}
    for variant, ids in sessions.items():
        for i, sid in enumerate(ids):
            for item in (shirt, cap):
                events.append({"session_id": sid, "event_type": "recommendation_shown", "item_id": item,
                               "query_item_id": query, "rank": 1})
            events.append({"session_id": sid, "event_type": "recommendation_shown", "item_id": shirt,
                           "query_item_id": query, "rank": 1})  # a rerun: the pair still counts once
            clicks = 1 if variant == "control" else 2
            for item in (shirt, cap)[:clicks]:
                events.append({"session_id": sid, "event_type": "click", "item_id": item,
                               "query_item_id": query})
            answer = {"session_id": sid, "target_kind": "item", "item_id": shirt,
                      "rating": ratings[variant][i]}
            assert client.post("/api/v1/survey", json=answer).status_code == 201
            if i == 0:
                params = {"session_id": sid, "query_item_id": query}
                opened = client.get(f"/api/v1/items/{shirt}/shop", params=params, follow_redirects=False)
                assert opened.status_code == 307
    assert client.post("/api/v1/events", json={"events": events}).status_code == 202

    response = client.get("/api/v1/admin/experiments", headers=AUTH)
    assert response.status_code == 200
    [experiment] = response.json()["experiments"]
    assert experiment["active"] and experiment["control"] == "control"
    by_variant = {v["variant"]: v for v in experiment["variants"]}
    control, feedback = by_variant["control"], by_variant["feedback"]
    assert control["sessions"] == feedback["sessions"] == 4
    assert (control["click_through"]["successes"], control["click_through"]["trials"]) == (4, 8)
    assert (feedback["click_through"]["successes"], feedback["click_through"]["trials"]) == (8, 8)
    assert control["click_through"]["low"] < 0.5 < control["click_through"]["high"]
    assert control["click_through"]["difference"] is None
    diff = feedback["click_through"]["difference"]
    assert diff["estimate"] == 0.5 and diff["low"] > 0 and diff["significant"]
    assert (feedback["shop_open_rate"]["successes"], feedback["shop_open_rate"]["trials"]) == (1, 8)
    assert not feedback["shop_open_rate"]["difference"]["significant"]
    assert control["survey"]["count"] == 4 and control["survey"]["mean"] == 3.5
    assert feedback["survey"]["mean"] == 4.75
    survey_diff = feedback["survey"]["difference"]
    assert survey_diff["low"] < 1.25 < survey_diff["high"]


def test_experiments_report_without_rows_lists_the_configured_variants(client: TestClient) -> None:
    [experiment] = client.get("/api/v1/admin/experiments", headers=AUTH).json()["experiments"]
    assert [v["variant"] for v in experiment["variants"]] == ["control", "feedback"]
    assert all(v["sessions"] == 0 and v["click_through"]["rate"] is None for v in experiment["variants"])
