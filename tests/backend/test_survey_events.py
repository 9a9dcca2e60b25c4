"""Survey answers and usage events: validated, all-or-nothing, dangling references refused."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import InteractionEvent, SurveyResponse
from tests.backend.factories import add_items, add_outfit


def _count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_survey_answer_is_stored(client: TestClient, db_url: str) -> None:
    item, query = add_items(db_url, {"name": "셔츠"}, {"name": "슬랙스"})
    outfit = add_outfit(db_url, "o1", [item, query])
    response = client.post("/api/v1/survey", json={
        "session_id": "abc-123", "target_kind": "item", "item_id": item, "query_item_id": query,
        "rating": 4, "comment": "잘 어울려요"})
    assert response.status_code == 201
    with session_scope(db_url) as session:
        stored = session.get(SurveyResponse, response.json()["id"])
        assert (stored.rating, stored.comment, stored.item_id) == (4, "잘 어울려요", item)
    assert client.post("/api/v1/survey", json={"session_id": "abc-123", "target_kind": "outfit",
                                               "outfit_id": outfit, "rating": 1}).status_code == 201


def test_bad_survey_answers_are_refused_and_nothing_is_stored(client: TestClient, db_url: str) -> None:
    [item] = add_items(db_url, {"name": "셔츠"})
    bad = [
        {"session_id": "s", "target_kind": "item", "item_id": item, "rating": 6},
        {"session_id": "s", "target_kind": "item", "item_id": item, "rating": 0},
        {"session_id": "s", "target_kind": "item", "rating": 3},
        {"session_id": "s", "target_kind": "outfit", "item_id": item, "rating": 3},
        {"session_id": "", "target_kind": "item", "item_id": item, "rating": 3},
        {"session_id": "s", "target_kind": "look", "item_id": item, "rating": 3},
        {"session_id": "s", "target_kind": "item", "item_id": item, "rating": 3, "comment": "x" * 2001},
    ]
    for body in bad:
        response = client.post("/api/v1/survey", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "validation_error"
    dangling = client.post("/api/v1/survey", json={"session_id": "s", "target_kind": "item",
                                                   "item_id": 999999, "rating": 3})
    assert dangling.status_code == 422
    assert dangling.json()["error"] == {"code": "unknown_reference", "detail": {"item_ids": [999999]},
                                        "message": dangling.json()["error"]["message"]}
    assert _count(db_url, SurveyResponse) == 0


def test_event_batch_is_accepted_whole(client: TestClient, db_url: str) -> None:
    item, query = add_items(db_url, {"name": "셔츠"}, {"name": "슬랙스"})
    events = [{"session_id": "s1", "event_type": "recommendation_shown", "item_id": item,
               "query_item_id": query, "rank": rank, "detail": {"model": "lightgcn", "k": 10}}
              for rank in range(3)]
    events.append({"session_id": "s1", "event_type": "search", "query_text": "셔츠"})
    response = client.post("/api/v1/events", json={"events": events})
    assert response.status_code == 202 and response.json() == {"accepted": 4}
    with session_scope(db_url) as session:
        details = session.scalars(select(InteractionEvent.detail).where(InteractionEvent.rank == 2)).all()
    assert details == [{"model": "lightgcn", "k": 10}]  # a JSON column: read back as JSON
    assert client.post("/api/v1/events", json={"events": []}).json() == {"accepted": 0}


def test_bad_event_batches_are_refused_whole(client: TestClient, db_url: str) -> None:
    [item] = add_items(db_url, {"name": "셔츠"})
    good = {"session_id": "s1", "event_type": "click", "item_id": item}
    for batch in ([good, {**good, "event_type": "purchase"}], [good, {**good, "item_id": 999999}],
                  [good] * 501, [good, {**good, "detail": {"x": "y" * 5000}}],
                  [good, {**good, "query_text": "q" * 201}]):
        response = client.post("/api/v1/events", json={"events": batch})
        assert response.status_code == 422, response.text
    assert _count(db_url, InteractionEvent) == 0


def test_request_bodies_are_strictly_typed(client: TestClient, db_url: str) -> None:
    """`"rating": true` was stored as 1 (the worst score) and `"5"` was accepted: both are 422 now."""
    [item] = add_items(db_url, {"name": "셔츠"})
    answer = {"session_id": "s", "target_kind": "item", "item_id": item, "rating": 4}
    for field, value in (("rating", True), ("rating", "5"), ("rating", 4.0), ("item_id", str(item)),
                         ("item_id", True), ("session_id", 5)):
        response = client.post("/api/v1/survey", json={**answer, field: value})
        assert response.status_code == 422, (field, value)
        assert response.json()["error"]["code"] == "validation_error"
    event = {"session_id": "s", "event_type": "click", "item_id": item}
    for field, value in (("rank", "3"), ("rank", True), ("item_id", 1.0), ("query_text", 7)):
        response = client.post("/api/v1/events", json={"events": [{**event, field: value}]})
        assert response.status_code == 422, (field, value)
    for ids in (["1"], [True], [1.0]):
        assert client.post("/api/v1/items/batch", json={"ids": ids}).status_code == 422, ids
    assert _count(db_url, SurveyResponse) == 0 and _count(db_url, InteractionEvent) == 0
    assert client.post("/api/v1/survey", json=answer).status_code == 201


def test_non_json_numbers_in_detail_are_refused(client: TestClient, db_url: str) -> None:
    """`{"x": NaN}` is accepted by Python's json but is not JSON: it was stored as such before."""
    [item] = add_items(db_url, {"name": "셔츠"})
    for literal in ("NaN", "Infinity", "-Infinity"):
        body = ('{"events": [{"session_id": "s", "event_type": "click", "item_id": ' + str(item)
                + ', "detail": {"nested": [1, {"x": ' + literal + '}]}}]}')
        response = client.post("/api/v1/events", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 422, literal
        assert response.json()["error"]["code"] == "validation_error"
    assert _count(db_url, InteractionEvent) == 0
    korean = {"events": [{"session_id": "s", "event_type": "click", "item_id": item,
                          "detail": {"q": "셔츠"}}]}
    assert client.post("/api/v1/events", json=korean).status_code == 202
    with session_scope(db_url) as session:
        assert session.scalars(select(InteractionEvent.detail)).all() == [{"q": "셔츠"}]
