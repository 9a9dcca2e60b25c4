"""옷 찾기 page through AppTest against the real backend: grid, paging, filters, picking, errors."""

from __future__ import annotations

from sqlalchemy import func, select

from db.engine import session_scope
from db.models import InteractionEvent, Item

PICK_PREFIX = "pick_"


def _shown_ids(at) -> list[int]:  # noqa: ANN001
    return [int(b.key[len(PICK_PREFIX):]) for b in at.button if b.key and b.key.startswith(PICK_PREFIX)]


def _texts(at) -> str:  # noqa: ANN001
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                     + [i.value for i in at.info] + [e.value for e in at.error])


def test_grid_pages_through_every_result(make_app, frontend_stack) -> None:
    at = make_app().run()
    assert not at.exception
    assert at.title[0].value == "내 옷 찾기"
    first = _shown_ids(at)
    assert len(first) == 10  # 2 rows x 5
    seen = list(first)
    while not at.button(key="page_next").disabled:
        at.button(key="page_next").click().run()
        assert not at.exception
        seen += _shown_ids(at)
    assert sorted(seen) == frontend_stack.catalogue.item_ids  # each item exactly once
    at.button(key="page_prev").click().run()
    on_last_page = len(seen) % 10 or 10
    assert _shown_ids(at) == seen[-10 - on_last_page:-on_last_page]


def test_search_text_and_colour_swatch_filter(make_app, frontend_stack) -> None:
    at = make_app().run()
    at.text_input(key="f_q").input("셔츠").run()
    ids = _shown_ids(at)
    with session_scope(frontend_stack.database_url) as session:
        names = dict(session.execute(select(Item.id, Item.name)).all())
    assert ids and all("셔츠" in names[i] for i in ids)
    assert frontend_stack.catalogue.shirt_white_id in ids

    at.button(key="swatch_navy").click().run()
    navy = _shown_ids(at)
    assert navy and set(navy) < set(ids) and all("네이비" in names[i] for i in navy)
    at.button(key="reset").click().run()
    assert len(_shown_ids(at)) == 10 and at.text_input(key="f_q").value == ""


def test_empty_search_says_what_to_try(make_app) -> None:
    at = make_app().run()
    at.text_input(key="f_q").input("존재하지않는옷이름").run()
    assert not at.exception and _shown_ids(at) == []
    assert any("검색 결과가 없습니다" in i.value and "직접 설명하기" in i.value for i in at.info)


def test_search_events_reach_the_backend(make_app, frontend_stack) -> None:
    at = make_app().run()
    at.text_input(key="f_q").input("슬랙스").run()
    session_id = at.session_state["session_id"]
    assert at.session_state["event_queue"] == []  # flushed at the end of the run
    with session_scope(frontend_stack.database_url) as session:
        query = select(InteractionEvent).where(InteractionEvent.session_id == session_id)
        events = session.scalars(query).all()
    searches = [e for e in events if e.event_type == "search"]
    assert len(searches) == 1 and searches[0].query_text == "슬랙스"
    with session_scope(frontend_stack.database_url) as session:
        slacks = session.scalar(select(func.count()).where(Item.name.contains("슬랙스")))
    assert searches[0].detail["total"] == slacks > 0  # detail is a JSON column


def test_picking_an_item_moves_to_matches(make_app, frontend_stack) -> None:
    at = make_app().run()
    at.text_input(key="f_q").input("셔츠").run()
    target = frontend_stack.catalogue.shirt_white_id
    at.button(key=f"{PICK_PREFIX}{target}").click().run()
    assert not at.exception
    assert at.session_state["query_item"]["id"] == target
    assert at.title[0].value == "어울리는 옷"


def test_random_pick_and_describe_instead(make_app, frontend_stack) -> None:
    at = make_app().run()
    at.button(key="random_pick").click().run()
    assert at.title[0].value == "어울리는 옷"
    assert at.session_state["query_item"]["is_recommendable"] is True

    at = make_app().run()
    at.selectbox(key="d_big").select("bottom").run()
    at.selectbox(key="d_sub_bottom").select("slacks").run()
    at.selectbox(key="d_color").select("navy").run()
    at.selectbox(key="d_gender").select("male").run()  # optional: men's slacks never get women-only matches
    at.button(key="describe_go").click().run()
    assert at.title[0].value == "어울리는 옷"
    assert tuple(at.session_state["garment"]) == ("bottom", "slacks", "navy")
    assert at.session_state["garment_gender"] == "male"
    assert at.session_state["query_item"] is None
    if frontend_stack.model_trained:  # matches for a garment the catalogue does not have
        shown = at.session_state["shown_matches"]
        assert shown and all(e["item"]["big_class"] != "bottom" for e in shown)
        assert any("내가 설명한 옷" in m.value for m in at.markdown)


def test_backend_down_shows_plain_message_and_retry(make_app, down_url) -> None:
    at = make_app(backend_url=down_url).run()
    assert not at.exception  # no traceback
    assert any("서버에 연결할 수 없습니다" in e.value for e in at.error)
    retry = at.button(key="retry_search")
    assert retry.label == "다시 시도"
    retry.click().run()
    assert not at.exception and any("서버에 연결할 수 없습니다" in e.value for e in at.error)
