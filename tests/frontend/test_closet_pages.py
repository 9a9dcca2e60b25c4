"""내 옷장 and 코디 만들기 through AppTest against the real backend and the trained model: adding from cards
and by description, the closet id in the URL, removing, the 200 limit, outfits, and 완성하기."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from backend.schemas import MAX_CLOSET_ENTRIES
from db.engine import session_scope
from db.models import ClosetEntry, Item
from frontend.backend_client import BackendClient
from tests.frontend import helpers

CLOSET = "views/closet.py"
OUTFITS = "views/closet_outfits.py"


@pytest.fixture()
def api(frontend_stack) -> Iterator[BackendClient]:
    client = BackendClient(frontend_stack.backend_url)
    yield client
    client.close()


def _closet_with(api: BackendClient, database_url: str, *garments: tuple[str, str]) -> str:
    closet_id = api.create_closet()
    for subcategory, color in garments:
        api.add_to_closet(closet_id, item_id=helpers.item_of_cluster(database_url, subcategory, color))
    return closet_id


def _open(make_app, page: str, closet_id: str | None = None):  # noqa: ANN001, ANN202
    at = make_app()
    if closet_id:
        at.query_params["closet"] = closet_id
    return at.switch_page(page).run()


def test_empty_closet_page_explains_and_a_described_garment_creates_the_closet(make_app, api) -> None:
    at = _open(make_app, CLOSET)
    assert not at.exception
    assert any("옷장이 비어 있습니다" in i.value for i in at.info)
    assert "closet_id" not in at.session_state

    at.selectbox(key="c_big").set_value("bottom").run()
    at.selectbox(key="c_sub_bottom").set_value("slacks")
    at.selectbox(key="c_color").set_value("navy")
    at.selectbox(key="c_gender").set_value("female")
    at.button(key="closet_add_described").click().run()
    assert not at.exception
    closet_id = at.session_state["closet_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", closet_id) and at.query_params["closet"] == closet_id
    assert any("옷장에 담았습니다" in t.value for t in at.toast)
    stored = api.closet(closet_id)
    assert stored["garments"] == [{"entry_id": stored["garments"][0]["entry_id"], "big_class": "bottom",
                                   "subcategory": "slacks", "color_family": "navy", "gender": "female"}]
    assert any("네이비 슬랙스 (하의)" in c.value for c in at.caption)  # shown in the grid


def test_add_from_a_find_card_then_reload_the_url_and_remove(make_app, frontend_stack, api) -> None:
    at = make_app().run()
    assert not at.exception
    add_buttons = [b for b in at.button if b.key and b.key.startswith("closet_add_find_")]
    assert len(add_buttons) == 10  # one on every card of the grid
    first = int(add_buttons[0].key.rsplit("_", 1)[1])
    add_buttons[0].click().run()
    closet_id = at.session_state["closet_id"]
    at.button(key=f"closet_add_find_{first}").click().run()  # the same item twice: no second entry
    assert any("이미 옷장에 있는 옷입니다" in t.value for t in at.toast)
    assert [i["id"] for i in api.closet(closet_id)["items"]] == [first]

    reloaded = _open(make_app, CLOSET, closet_id)  # a new session: only the URL knows the closet
    assert not reloaded.exception
    assert reloaded.session_state["closet_id"] == closet_id
    assert any("1벌" in m.value for m in reloaded.markdown)
    entry = api.closet(closet_id)["items"][0]["entry_id"]
    cards = [m.value for m in reloaded.markdown if m.value.startswith('<div class="closet-card"')]
    assert len(cards) == 1 and f"/items/{first}/shop?session_id=" in cards[0]
    reloaded.button(key=f"closet_remove_{entry}").click().run()
    assert not reloaded.exception
    assert api.closet(closet_id)["items"] == []
    assert any("옷장이 비어 있습니다" in i.value for i in reloaded.info)


def test_matches_page_adds_the_query_garment(make_app, frontend_stack, api) -> None:
    if not frontend_stack.model_trained:
        pytest.skip("the recommender package cannot train a model yet")
    at = make_app()
    at.session_state["garment"] = ("top", "knit", "beige")
    at.switch_page("views/matches.py").run()
    assert not at.exception
    from model.recommender import GarmentQuery, Recommender

    expected = Recommender.load(frontend_stack.artifact_dir).recommend(
        garment=GarmentQuery("top", "knit", "beige"), k=30, per_big_class=5)
    assert expected  # one "옷장에 추가" per match card
    assert sum(1 for b in at.button if b.key and b.key.startswith("closet_add_matches_")) == len(expected)
    at.button(key="closet_add_query").click().run()
    stored = api.closet(at.session_state["closet_id"])
    assert [(g["big_class"], g["subcategory"], g["color_family"]) for g in stored["garments"]] == [
        ("top", "knit", "beige")]


def test_unknown_closet_in_the_url_says_so(make_app) -> None:
    at = _open(make_app, CLOSET, "0" * 32)
    assert not at.exception
    assert any("옷장을 찾을 수 없습니다" in w.value for w in at.warning)
    at.button(key="closet_forget").click().run()
    assert "closet_id" not in at.session_state and "closet" not in at.query_params


def test_a_full_closet_refuses_more_with_a_clear_message(make_app, frontend_stack, api) -> None:
    closet_id = api.create_closet()
    with session_scope(frontend_stack.database_url) as session:
        session.add_all(ClosetEntry(closet_id=closet_id, big_class="top", subcategory="shirt",
                                    color_family="white") for _ in range(MAX_CLOSET_ENTRIES))
    at = _open(make_app, CLOSET, closet_id)
    assert not at.exception
    assert any("옷장이 가득 찼습니다 (최대 200벌)" in w.value for w in at.warning)
    at.button(key="closet_add_described").click().run()
    assert any("최대 200벌" in e.value for e in at.error)
    assert len(api.closet(closet_id)["garments"]) == MAX_CLOSET_ENTRIES


def test_outfit_page_with_an_empty_closet(make_app, api) -> None:
    at = _open(make_app, OUTFITS)
    assert not at.exception
    assert any("옷장이 비어 있습니다" in i.value for i in at.info)
    at = _open(make_app, OUTFITS, api.create_closet())  # created, still empty
    assert any("옷장이 비어 있습니다" in i.value for i in at.info)
    at.button(key="outfits_to_closet").click().run()
    assert at.title[0].value == "내 옷장"


def test_outfit_page_with_only_tops(make_app, frontend_stack, api) -> None:
    if not frontend_stack.model_trained:
        pytest.skip("the recommender package cannot train a model yet")
    closet_id = _closet_with(api, frontend_stack.database_url, ("shirt", "white"), ("tee_short", "black"),
                             ("knit", "beige"))
    at = _open(make_app, OUTFITS, closet_id)
    assert not at.exception
    assert at.session_state["closet_outfits_shown"] == []
    assert any("하의나 원피스를 추가해 주세요" in i.value for i in at.info)
    assert not [m for m in at.markdown if "코디 점수" in m.value]


def test_outfits_from_the_closet_and_complete_the_look(make_app, frontend_stack, api) -> None:
    if not frontend_stack.model_trained:
        pytest.skip("the recommender package cannot train a model yet")
    closet_id = _closet_with(api, frontend_stack.database_url, ("shirt", "white"), ("knit", "ivory"),
                             ("slacks", "navy"), ("denim_pants", "blue"))
    api.add_to_closet(closet_id, garment={"big_class": "top", "subcategory": "tee_short",
                                          "color_family": "grey"})
    at = _open(make_app, OUTFITS, closet_id)
    assert not at.exception
    outfits = at.session_state["closet_outfits_shown"]
    assert 1 <= len(outfits) <= 5
    stored = api.closet(closet_id)
    closet_size = len(stored["items"]) + len(stored["garments"])
    uses = [0] * closet_size
    for outfit in outfits:
        assert 0.0 < outfit["probability"] < 1.0
        for position in outfit["members"]:
            uses[position] += 1
    assert max(uses) <= 2  # no garment in more than two outfits
    scores = [m.value for m in at.markdown if "코디 점수" in m.value]
    assert len(scores) == len(outfits) and all(re.search(r"코디 점수 \d{1,3}%", s) for s in scores)
    assert any("신발이 없어" in c.value for c in at.caption)  # the closet has no shoes

    assert all(o["shop"] and "shoes" in {s["big_class"] for s in o["shop"]} for o in outfits)
    at.button(key="complete_1").click().run()
    assert not at.exception
    assert any(s.value == "코디 1 완성하기" for s in at.subheader)
    cards = [m.value for m in at.markdown if m.value.startswith('<div class="closet-card"')]
    assert len(cards) == len(outfits[0]["shop"])
    session_id = at.session_state["session_id"]
    for pick, card in zip(outfits[0]["shop"], cards, strict=True):
        assert f"/items/{pick['item_id']}/shop?session_id={session_id}" in card
        assert 'target="_blank"' in card


def test_outfit_page_backend_down(make_app, down_url) -> None:
    at = make_app(backend_url=down_url)
    at.query_params["closet"] = "a" * 32
    at.switch_page(OUTFITS).run()
    assert not at.exception
    assert any("서버에 연결할 수 없습니다" in e.value for e in at.error)
    assert at.button(key="retry_closet_outfits").label == "다시 시도"


def test_a_described_dress_makes_an_outfit_on_its_own(make_app, frontend_stack, api) -> None:
    if not frontend_stack.model_trained:
        pytest.skip("the recommender package cannot train a model yet")
    closet_id = _closet_with(api, frontend_stack.database_url, ("sneakers", "white"))
    api.add_to_closet(closet_id, garment={"big_class": "bottom", "subcategory": "dress",
                                          "color_family": "black"})
    at = _open(make_app, OUTFITS, closet_id)
    assert not at.exception
    outfits = at.session_state["closet_outfits_shown"]
    assert outfits and all(sorted(o["members"]) == [0, 1] for o in outfits)  # the sneakers, then the dress
    assert any('class="closet-swatch"' in m.value for m in at.markdown)  # the dress has no photo: a swatch


@pytest.fixture()
def item_after_training(frontend_stack) -> Iterator[int]:
    """A catalogue item imported after the model was trained (removed again afterwards)."""
    with session_scope(frontend_stack.database_url) as session:
        item = Item(source="replica", source_id="late-slacks", name="뒤늦게 들어온 블랙 슬랙스",
                    big_class="bottom", subcategory="slacks", color_family="black", is_recommendable=True)
        session.add(item)
        session.flush()
        item_id = item.id
    yield item_id
    with session_scope(frontend_stack.database_url) as session:
        session.delete(session.get(Item, item_id))


def test_an_item_the_model_has_not_seen_joins_outfits_by_its_attributes(make_app, frontend_stack, api,
                                                                         item_after_training) -> None:
    if not frontend_stack.model_trained:
        pytest.skip("the recommender package cannot train a model yet")
    closet_id = _closet_with(api, frontend_stack.database_url, ("shirt", "white"))
    api.add_to_closet(closet_id, item_id=item_after_training)  # the only bottom
    at = _open(make_app, OUTFITS, closet_id)
    assert not at.exception
    outfits = at.session_state["closet_outfits_shown"]
    assert outfits and all(sorted(o["members"]) == [0, 1] for o in outfits)
