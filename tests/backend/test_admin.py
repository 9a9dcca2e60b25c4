"""Admin routes: 401 without a valid token; correct figures and safe CSV with one."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.backend.factories import ADMIN_TOKEN, add_items, build_client, reindex

ADMIN_ROUTES = ["/api/v1/admin/survey/summary", "/api/v1/admin/stats/daily", "/api/v1/admin/insights",
                "/api/v1/admin/export/survey.csv", "/api/v1/admin/export/events.csv"]
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": ADMIN_TOKEN},
                                     {"Authorization": f"Basic {ADMIN_TOKEN}"}])
def test_admin_without_a_valid_token_is_401(client: TestClient, headers: dict) -> None:
    for route in ADMIN_ROUTES:
        response = client.get(route, headers=headers)
        assert response.status_code == 401, route
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"


def test_admin_is_closed_when_no_token_is_configured(sqlite_url: str, tmp_path: Path) -> None:
    with build_client(sqlite_url, tmp_path, admin_token=None) as client:
        assert client.get(ADMIN_ROUTES[0], headers={"Authorization": "Bearer "}).status_code == 401
        assert client.get(ADMIN_ROUTES[0], headers=AUTH).status_code == 401


def _seed_activity(client: TestClient, url: str) -> tuple[int, int]:
    shirt, cap = add_items(url, {"name": "셔츠", "big_class": "top"}, {"name": "캡", "big_class": "headwear"})
    for rating, kind in ((5, "item"), (3, "item"), (4, "item")):
        client.post("/api/v1/survey", json={"session_id": "s", "target_kind": kind, "item_id": shirt,
                                            "rating": rating, "comment": "=HYPERLINK(\"http://x\")"})
    events = ([{"session_id": "s", "event_type": "recommendation_shown", "item_id": shirt}] * 4
              + [{"session_id": "s", "event_type": "recommendation_shown", "item_id": cap}] * 2
              + [{"session_id": "s", "event_type": "click", "item_id": shirt}]
              + [{"session_id": "s", "event_type": "search", "query_text": "-1+1"}])
    assert client.post("/api/v1/events", json={"events": events}).status_code == 202
    return shirt, cap


def test_reports_count_what_was_recorded(client: TestClient, db_url: str) -> None:
    shirt, cap = _seed_activity(client, db_url)
    summary = client.get("/api/v1/admin/survey/summary", headers=AUTH).json()
    assert summary["by_kind"] == {"item": {"count": 3, "mean_rating": 4.0,
                                           "histogram": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}}}
    [today] = summary["by_day"]
    assert (today["count"], today["mean_rating"]) == (3, 4.0)

    daily = client.get("/api/v1/admin/stats/daily", params={"days": 7}, headers=AUTH).json()
    assert len(daily["stats"]) == 7
    last = daily["stats"][-1]
    assert last["events"] == {"search": 1, "view": 0, "recommendation_shown": 6, "click": 1,
                              "shop_link_open": 0}
    assert last["survey_responses"] == 3
    assert all(d["survey_responses"] == 0 for d in daily["stats"][:-1])

    reindex(client)  # the catalogue composition comes from the search index snapshot
    insights = client.get("/api/v1/admin/insights", headers=AUTH).json()
    assert [(e["item"]["id"], e["count"]) for e in insights["most_shown"]] == [(shirt, 4), (cap, 2)]
    assert [(e["item"]["id"], e["count"]) for e in insights["most_clicked"]] == [(shirt, 1)]
    assert {c["big_class"]: c["rate"] for c in insights["click_through_by_big_class"]} == \
        {"top": 0.25, "headwear": 0.0}
    assert {f["value"]: f["count"] for f in insights["catalogue"]["big_classes"]} == {"top": 1, "headwear": 1}


def test_csv_exports_are_complete_and_formula_safe(client: TestClient, db_url: str) -> None:
    _seed_activity(client, db_url)
    response = client.get("/api/v1/admin/export/survey.csv", headers=AUTH)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(int(r["rating"]) for r in rows) == [3, 4, 5]
    assert all(r["comment"].startswith("'=") for r in rows)  # spreadsheets will not run it
    events = list(csv.DictReader(io.StringIO(client.get("/api/v1/admin/export/events.csv",
                                                        headers=AUTH).text)))
    assert len(events) == 8
    assert [e["query_text"] for e in events if e["event_type"] == "search"] == ["'-1+1"]


FORMULA_COMMENTS = {  # what a shopper typed -> what the export must hold
    ";=1+1": ";'=1+1",                    # a cell of its own where ';' separates cells
    "\n=1+1": "'\n'=1+1",                 # a new row that starts with '='
    " =1+1": "' =1+1",                    # leading space
    "\u00a0=1+1": "'\u00a0=1+1",          # leading NBSP
    "\uff1d1+1": "'\uff1d1+1",            # full-width ＝
    "\uff0bA1": "'\uff0bA1", "\uff0d1": "'\uff0d1", "\uff20SUM(A1)": "'\uff20SUM(A1)",
    "ok,@SUM(A1)": "ok,'@SUM(A1)", "ok\t+1": "ok\t'+1", "ok,\u3000-1": "ok,'\u3000-1",
    "잘 어울려요 -_-": "잘 어울려요 -_-",  # a minus inside a cell is harmless
}


def test_csv_quotes_every_field_and_neutralises_every_cell_start(client: TestClient, db_url: str) -> None:
    [shirt] = add_items(db_url, {"name": "셔츠", "big_class": "top"})
    for comment in FORMULA_COMMENTS:
        assert client.post("/api/v1/survey", json={"session_id": "s", "target_kind": "item", "item_id": shirt,
                                                    "rating": 3, "comment": comment}).status_code == 201
    text = client.get("/api/v1/admin/export/survey.csv", headers=AUTH).text
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[rows[0].index("comment")] for row in rows[1:]] == list(FORMULA_COMMENTS.values())
    records = [record for record in text.split("\r\n") if record]  # a field's own line break is \n
    assert len(records) == len(rows)
    assert all(record.startswith('"') and record.endswith('"') for record in records)  # QUOTE_ALL
    assert f'"{shirt}"' in text and '"3"' in text


def test_daily_stats_days_are_bounded(client: TestClient) -> None:
    for days in (0, 367):
        assert client.get("/api/v1/admin/stats/daily", params={"days": days}, headers=AUTH).status_code == 422
