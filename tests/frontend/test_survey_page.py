"""설문 page: ratings reach the database, nothing rated is refused, a down backend loses nothing."""

from __future__ import annotations

from sqlalchemy import select

from db.engine import session_scope
from db.models import SurveyResponse
from tests.frontend import helpers

PAGE = "views/survey.py"


def _prepared(make_app, frontend_stack, backend_url: str | None = None):  # noqa: ANN001, ANN202
    """A session that has seen matches and outfits (as the earlier pages leave it)."""
    a, b = helpers.pair_worn_together(frontend_stack.database_url)
    query, match = helpers.items(frontend_stack.backend_url, [a, b])
    other = helpers.items(frontend_stack.backend_url, frontend_stack.catalogue.item_ids[-3:])
    at = make_app(backend_url=backend_url)
    at.session_state["query_item"], at.session_state["match_item"] = query, match
    at.session_state["shown_matches"] = [
        {"item": item, "rec": {"item_id": item["id"], "big_class": item["big_class"], "probability": 0.5,
                               "score": 1.0, "reason": "test"}} for item in [match, *other]]
    outfits = helpers.outfits(frontend_stack.backend_url, a, b)
    at.session_state["shown_outfits"] = outfits
    return at.switch_page(PAGE).run(), query, match, outfits


def _rows(database_url: str, session_id: str) -> list[SurveyResponse]:
    with session_scope(database_url) as session:
        query = select(SurveyResponse).where(SurveyResponse.session_id == session_id)
        return list(session.scalars(query.order_by(SurveyResponse.id)))


def test_ratings_and_comment_reach_the_database(make_app, frontend_stack) -> None:
    at, query, match, outfits = _prepared(make_app, frontend_stack)
    assert not at.exception
    at.radio(key=f"rate_item_{match['id']}").set_value(5)
    at.radio(key=f"rate_outfit_{outfits[0]['id']}").set_value(4)
    at.text_area(key="survey_comment").input("검색이 편했어요")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception
    assert any("감사합니다" in s.value for s in at.success)
    rows = _rows(frontend_stack.database_url, at.session_state["session_id"])
    assert [(r.target_kind, r.item_id, r.outfit_id, r.rating) for r in rows] == [
        ("item", match["id"], None, 5), ("outfit", None, outfits[0]["id"], 4)]
    assert all(r.query_item_id == query["id"] for r in rows)
    assert rows[0].comment == "검색이 편했어요" and rows[1].comment is None
    at.button(key="restart").click().run()
    assert at.title[0].value == "내 옷 찾기" and at.session_state["query_item"] is None


def test_nothing_rated_is_refused(make_app, frontend_stack) -> None:
    at, *_ = _prepared(make_app, frontend_stack)
    at.get("form_submit_button")[0].click()
    at.run()
    assert any("하나 이상" in w.value for w in at.warning)
    assert _rows(frontend_stack.database_url, at.session_state["session_id"]) == []


def test_backend_down_keeps_the_answers(make_app, frontend_stack, down_url) -> None:
    at, _query, match, _outfits = _prepared(make_app, frontend_stack, backend_url=down_url)
    at.radio(key=f"rate_item_{match['id']}").set_value(3)
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception
    assert any("서버에 연결할 수 없습니다" in e.value for e in at.error)
    assert at.radio(key=f"rate_item_{match['id']}").value == 3
    assert "survey_sent" not in at.session_state


def test_survey_before_any_recommendation(make_app) -> None:
    at = make_app()
    at.switch_page(PAGE).run()
    assert any("옷 찾기" in i.value for i in at.info)
