"""코디 page: outfits with both items, the cluster fallback, and the backend-down message."""

from __future__ import annotations

from tests.frontend import helpers

PAGE = "views/outfits.py"


def _open(make_app, frontend_stack, query_id: int, match_id: int, backend_url: str | None = None):  # noqa: ANN001, ANN202
    query, match = helpers.items(frontend_stack.backend_url, [query_id, match_id])
    at = make_app(backend_url=backend_url)
    at.session_state["query_item"], at.session_state["match_item"] = query, match
    return at.switch_page(PAGE).run()


def test_outfits_wearing_both_items(make_app, frontend_stack) -> None:
    a, b = helpers.pair_worn_together(frontend_stack.database_url)
    at = _open(make_app, frontend_stack, a, b)
    assert not at.exception
    assert any("실제로 함께 입은" in c.value for c in at.caption)
    outfits = at.session_state["shown_outfits"]
    assert outfits and all({a, b} <= {m["id"] for m in o["items"]} for o in outfits)
    assert len(at.get("link_button")) == len(outfits)  # every outfit links to its page
    at.button(key="to_survey").click().run()
    assert at.title[0].value == "설문"


def test_cluster_fallback_when_never_worn_together(make_app, frontend_stack) -> None:
    pair = helpers.pair_only_clusters_share(frontend_stack.database_url)
    assert pair is not None
    at = _open(make_app, frontend_stack, *pair)
    assert not at.exception
    assert any("같은 종류·같은 색" in c.value for c in at.caption)
    query, match = at.session_state["query_item"], at.session_state["match_item"]
    for outfit in at.session_state["shown_outfits"]:
        clusters = {m["cluster_key"] for m in outfit["items"]}
        assert {query["cluster_key"], match["cluster_key"]} <= clusters


def test_backend_down_on_outfits(make_app, frontend_stack, down_url) -> None:
    a, b = helpers.pair_worn_together(frontend_stack.database_url)
    at = _open(make_app, frontend_stack, a, b, backend_url=down_url)
    assert not at.exception
    assert any("서버에 연결할 수 없습니다" in e.value for e in at.error)
    assert at.button(key="retry_outfits").label == "다시 시도"


def test_described_garment_finds_outfits_through_its_cluster(make_app, frontend_stack) -> None:
    partner = helpers.partner_of_cluster(frontend_stack.database_url, "slacks:navy")
    at = make_app()
    at.session_state["garment"] = ("bottom", "slacks", "navy")
    at.session_state["match_item"] = helpers.items(frontend_stack.backend_url, [partner])[0]
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("내가 설명한 옷" in m.value and "네이비 슬랙스" in m.value for m in at.markdown)
    outfits = at.session_state["shown_outfits"]
    assert outfits
    partner_cluster = at.session_state["match_item"]["cluster_key"]
    for outfit in outfits:  # both garments, or at least their clusters, are in every outfit
        assert {"slacks:navy", partner_cluster} <= {m["cluster_key"] for m in outfit["items"]}
