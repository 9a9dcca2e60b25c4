"""추천 page: the plain 'not trained yet' state, and real matches when a trained model exists."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import InteractionEvent
from tests.frontend import helpers

PAGE = "views/matches.py"


def test_without_a_pick_it_sends_the_shopper_back(make_app) -> None:
    at = make_app()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("먼저 '옷 찾기'" in i.value for i in at.info)
    at.button(key="to_find").click().run()
    assert at.title[0].value == "내 옷 찾기"


def test_untrained_model_is_a_plain_state_with_how_to_train(make_app, frontend_stack) -> None:
    at = make_app(artifact_dir=frontend_stack.empty_artifact_dir)
    at.session_state["query_item"] = helpers.items(frontend_stack.backend_url,
                                                   [frontend_stack.catalogue.shirt_white_id])[0]
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("추천 모델" in w.value for w in at.warning)
    assert any("make run" in c.value for c in at.code)


def test_matches_grouped_by_other_big_classes(make_app, frontend_stack) -> None:
    if not frontend_stack.model_trained:
        pytest.skip("the recommender package cannot train a model yet")
    at = make_app()
    query = helpers.items(frontend_stack.backend_url, [frontend_stack.catalogue.shirt_white_id])[0]
    at.session_state["query_item"] = query
    at.switch_page(PAGE).run()
    assert not at.exception
    headers = [h.value for h in at.subheader]
    assert headers == ["아우터", "하의", "신발", "가방", "모자"]  # every other big class, in order
    cards = [m.value for m in at.markdown if m.value.startswith('<div class="closet-card"')]
    from model.recommender import Recommender

    model = Recommender.load(frontend_stack.artifact_dir)
    expected = len(model.recommend(query["id"], k=30, per_big_class=5))
    assert 10 <= len(cards) == expected  # at most five per big class, only those above the floor
    session_id = at.session_state["session_id"]
    for card in cards:
        assert re.search(r"매칭 \d{1,3}%", card)
        link = re.search(r'href="([^"]+)"', card).group(1)
        assert "/api/v1/items/" in link and f"session_id={session_id}" in link
        assert f"query_item_id={query['id']}" in link and 'target="_blank"' in card
    with session_scope(frontend_stack.database_url) as session:
        shown = session.scalar(select(func.count()).where(
            InteractionEvent.session_id == session_id, InteractionEvent.event_type == "recommendation_shown",
            InteractionEvent.query_item_id == query["id"]))
    assert shown == expected
    choose = next(b for b in at.button if b.key and b.key.startswith("choose_"))
    choose.click().run()
    assert at.title[0].value == "코디 보기"
    assert at.session_state["match_item"]["id"] == int(choose.key.removeprefix("choose_"))


def test_a_class_with_nothing_above_the_floor_says_so_in_its_row(make_app, frontend_stack,
                                                                  monkeypatch) -> None:
    """With the floor at the best shoe's probability, the 신발 row says there is nothing worth showing
    instead of filling it, while rows with better matches still show cards."""
    if not frontend_stack.model_trained:
        pytest.skip("the recommender package cannot train a model yet")
    from model.recommender import Recommender

    query = helpers.items(frontend_stack.backend_url, [frontend_stack.catalogue.shirt_white_id])[0]
    unfloored = Recommender.load(frontend_stack.artifact_dir, floor=0.0).recommend(
        query["id"], k=30, per_big_class=5)
    best = {}
    for r in unfloored:
        best[r.big_class] = max(best.get(r.big_class, 0.0), r.probability)
    at = make_app()
    monkeypatch.setenv("RECOMMEND_FLOOR", repr(best["shoes"]))  # read by the app's Recommender.load
    at.session_state["query_item"] = query
    at.session_state["variant"] = "control"  # `feedback` would rerank by the clicks other tests recorded
    at.switch_page(PAGE).run()
    assert not at.exception
    assert [h.value for h in at.subheader] == ["아우터", "하의", "신발", "가방", "모자"]
    labels = (("outerwear", "아우터가"), ("bottom", "하의가"), ("shoes", "신발이"), ("bag", "가방이"),
              ("headwear", "모자가"))
    assert [i.value for i in at.info] == [f"아직 추천할 만한 {label} 없습니다." for big, label in labels
                                          if best[big] <= best["shoes"]]
    shown = at.session_state["shown_matches"]
    assert {e["rec"]["big_class"] for e in shown} == {big for big, p in best.items() if p > best["shoes"]}
    assert all(e["rec"]["probability"] > best["shoes"] for e in shown)


def test_link_with_item_id_opens_its_matches(make_app, frontend_stack) -> None:
    at = make_app(artifact_dir=frontend_stack.empty_artifact_dir)
    at.query_params["item"] = str(frontend_stack.catalogue.shirt_white_id)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.session_state["query_item"]["id"] == frontend_stack.catalogue.shirt_white_id

    at = make_app(artifact_dir=frontend_stack.empty_artifact_dir)
    at.query_params["item"] = "999999999"
    at.switch_page(PAGE).run()
    assert any("링크의 옷을 찾을 수 없습니다" in w.value for w in at.warning)


def test_backend_down_on_matches(make_app, frontend_stack, down_url) -> None:
    if not frontend_stack.model_trained:
        pytest.skip("the recommender package cannot train a model yet")
    query = helpers.items(frontend_stack.backend_url, [frontend_stack.catalogue.shirt_white_id])[0]
    at = make_app(backend_url=down_url)
    at.session_state["query_item"] = query
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("서버에 연결할 수 없습니다" in e.value for e in at.error)
    assert at.button(key="retry_matches").label == "다시 시도"
