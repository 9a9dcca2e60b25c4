"""Issue 15's hot reload, end to end: the replica shop grows, a refresh crawls and retrains, and the app
that was already running (AppTest against a real backend) shows a new item among the matches, with no
restart of either.

Real parts only: the shop served on 127.0.0.1, Chromium crawling it, SQLite, the backend under uvicorn,
the trained model loaded by the app's ModelReloader. Waits are bounded and on real conditions."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from crawler.demo_shop.build import grow_shop, load_truth
from crawler.demo_shop.generate import Growth, grow
from crawler.demo_shop.server import ShopServer
from db.engine import session_scope
from db.models import Item
from model.recommender.reloader import latest_version
from pipeline.__main__ import main as pipeline
from tests.crawler.conftest import SMALL_SHOP, fresh_shop
from tests.frontend import helpers, stack
from tests.frontend.conftest import ADMIN_TOKEN

PAGE = "views/matches.py"
NEW_OUTFITS = 3
TIMEOUT_S = 60


@pytest.fixture()
def shop(tmp_path: Path) -> Iterator[ShopServer]:
    yield from fresh_shop(tmp_path / "shop")


def query_for(growth: Growth) -> tuple[int, set[int]]:
    """An item older outfits wear (the first crawl stores it) that the new outfits wear with the most new
    items of other big classes (the page shows other classes only), and those new items, by goods number.
    Of equals, the one in the most outfits: the model knows most about it, so it has matches already."""
    new = {item.goods_no: item for item in growth.items}
    by_no = {item.goods_no: item for item in growth.shop.items}
    newest_old = min(look.codimap_id for look in growth.outfits) - 1
    partners: dict[int, set[int]] = {}
    for look in growth.outfits:
        for number in look.items:
            if number not in new and min(by_no[number].outfits) <= newest_old:
                partners.setdefault(number, set()).update(
                    n for n in look.items if n in new and new[n].big_class != by_no[number].big_class)
    query = max(sorted(partners), key=lambda n: (len(partners[n]), len(by_no[n].outfits)))
    assert partners[query], "every new outfit wears a new item with an old one"
    return query, partners[query]


def item_ids(database_url: str) -> dict[int, int]:
    """Database id of every stored item by its goods number."""
    with session_scope(database_url) as session:
        return {int(source_id): item_id for source_id, item_id in session.execute(
            select(Item.source_id, Item.id))}


def shown(at: AppTest) -> set[int]:
    """Item ids of the match cards the last run drew (each card has its 'choose' button)."""
    assert not at.exception, at.exception
    return {int(b.key.removeprefix("choose_")) for b in at.button if b.key and b.key.startswith("choose_")}


def test_a_refresh_after_the_shop_grows_shows_new_items_in_the_running_app(
        shop: ShopServer, app_in: Callable[[Mapping[str, str]], AppTest], sqlite_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    shop_dir, artifacts, images = tmp_path / "shop", tmp_path / "artifacts", tmp_path / "images"
    database_url = sqlite_url
    port = stack.free_port()
    env = stack.app_env(database_url, images, artifacts, f"http://127.0.0.1:{port}", ADMIN_TOKEN)
    at = app_in(env)  # also the refresh's environment (IMAGE_DIR): it runs in this process
    refresh = ["refresh", "--database-url", database_url, "--artifact-dir", str(artifacts), "--start-url",
               f"{shop.url}/app/codimap/lists?page=1", "--delay", "0", "--no-images"]
    assert pipeline(refresh) == 0, capsys.readouterr()
    assert capsys.readouterr().out.splitlines()[2].startswith("train: trained ")
    # the growth is deterministic: which old item a new outfit will wear is known before the shop grows
    expected = grow(load_truth(shop_dir), NEW_OUTFITS, 2 * NEW_OUTFITS, SMALL_SHOP["seed"])
    query_no, partner_nos = query_for(expected)

    with stack.backend(env, port, tmp_path / "backend.log") as backend_url:
        from frontend import data

        before = item_ids(database_url)
        at.session_state["query_item"] = helpers.items(backend_url, [before[query_no]])[0]
        at.session_state["variant"] = "control"  # today's ranking, no feedback rerank
        at.switch_page(PAGE).run()
        reloader = data._reloader()  # the app process's one reloader: the same object until the end
        first_model = reloader.in_use[1]
        assert first_model == latest_version(artifacts)
        old_matches = shown(at)
        assert old_matches and old_matches <= set(before.values())

        growth = grow_shop(shop_dir, NEW_OUTFITS)
        assert [(o.codimap_id, o.items) for o in growth.outfits] == \
            [(o.codimap_id, o.items) for o in expected.outfits]
        assert pipeline(refresh) == 0, capsys.readouterr()
        lines = capsys.readouterr().out.splitlines()
        new_outfits = {look.codimap_id for look in growth.outfits}
        first_worn = {i.goods_no for i in growth.shop.items if i.outfits and set(i.outfits) <= new_outfits}
        assert lines[0].startswith(f"crawl: {NEW_OUTFITS} new outfits, {len(first_worn)} new items, "), lines
        assert lines[2].startswith("train: trained "), lines
        after = item_ids(database_url)
        new_ids = {after[n] for n in partner_nos}
        assert new_ids and not new_ids & set(before.values())

        at.run()  # the same app: sees the new artifact and loads it in the background
        assert data._reloader() is reloader
        assert reloader.wait(TIMEOUT_S), "the refreshed model did not load"
        assert reloader.in_use[1] == latest_version(artifacts) != first_model
        at.run()
        matches = shown(at)
        assert matches & new_ids, (matches, new_ids)
        assert at.session_state["query_item"]["id"] == before[query_no]
