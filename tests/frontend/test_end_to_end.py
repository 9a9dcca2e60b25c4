"""A shopper in real headless Chromium: search -> pick -> matches -> outfit -> survey, against the real
backend and `streamlit run frontend/app.py`; the survey row must reach the database. A second shopper
fills a closet, reloads its URL, makes outfits, completes the look and opens a shop link on the
replica shop. Screenshots of every page go to test-artifacts/frontend/."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from sqlalchemy import func, select

from crawler.demo_shop.build import build_shop
from crawler.demo_shop.server import ShopServer
from db.engine import session_scope
from db.models import InteractionEvent, Item, SurveyResponse
from tests.frontend import browser, helpers, stack
from tests.frontend.conftest import ADMIN_TOKEN

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app_url(frontend_stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = stack.app_env(frontend_stack.database_url, frontend_stack.image_dir, frontend_stack.artifact_dir,
                        frontend_stack.backend_url, ADMIN_TOKEN)
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with stack.streamlit_app(env, stack.free_port(), log) as url:
        yield url


def test_shopper_flow_in_a_real_browser(app_url, frontend_stack) -> None:
    comment = f"e2e {uuid.uuid4().hex[:8]}"
    shirt = frontend_stack.catalogue.shirt_white_id
    with session_scope(frontend_stack.database_url) as session:
        blouses = session.scalar(select(func.count()).where(Item.name.contains("블라우스")))
    with stack.chromium() as driver:
        driver.get(app_url)
        browser.wait_for_text(driver, "내 옷 찾기")
        browser.wait_for_text(driver, "이 옷 선택")
        browser.screenshot(driver, "01-find")
        browser.screenshot(driver, "01-find-phone", width=390)

        browser.type_into(driver, "검색어", "블라우스")
        browser.wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "[class*='st-key-pick_']"))
                                   == blouses)  # the grid now shows only the shirts/blouses
        browser.screenshot(driver, "02-search")
        browser.click(driver, browser.button(driver, "이 옷 선택", within=f".st-key-pick_{shirt}"))

        browser.wait_for_text(driver, "어울리는 옷")
        if not frontend_stack.model_trained:
            browser.wait_for_text(driver, "추천 모델")
            browser.screenshot(driver, "03-matches-untrained")
            pytest.skip("the recommender cannot train a model yet: stopped at the matches page")
        browser.wait(driver).until(lambda d: d.execute_script(browser.IMAGES_LOADED_JS, 10))
        links = driver.find_elements(By.CSS_SELECTOR, "a.closet-thumb")
        assert all(a.get_attribute("target") == "_blank" and "/shop?session_id=" in a.get_attribute("href")
                   for a in links)
        browser.screenshot(driver, "03-matches")
        browser.screenshot(driver, "03-matches-phone", width=390)

        browser.click(driver, browser.button(driver, "이걸로 코디 보기"))
        browser.wait_for_text(driver, "코디 보기")
        browser.wait_for_text(driver, "설문 참여하기")
        browser.screenshot(driver, "04-outfits")

        browser.click(driver, browser.button(driver, "설문 참여하기"))
        browser.wait_for_text(driver, "추천된 옷이 내 옷과 잘 어울리나요?")
        first_five = browser.wait(driver).until(EC.element_to_be_clickable(
            (By.XPATH, "(//div[@role='radiogroup'])[1]//label[.//p[normalize-space()='5']]")))
        browser.click(driver, first_five)
        driver.find_element(By.CSS_SELECTOR, "textarea[aria-label='하고 싶은 말 (선택)']").send_keys(comment)
        browser.screenshot(driver, "05-survey")
        browser.click(driver, browser.button(driver, "보내기"))
        browser.wait_for_text(driver, "감사합니다")
        browser.screenshot(driver, "06-thanks")

    with session_scope(frontend_stack.database_url) as session:
        row = session.scalars(select(SurveyResponse).where(SurveyResponse.comment == comment)).one()
        assert (row.target_kind, row.rating, row.query_item_id) == ("item", 5, shirt)
        events = {e.event_type for e in session.scalars(
            select(InteractionEvent).where(InteractionEvent.session_id == row.session_id))}
    assert {"search", "click", "recommendation_shown"} <= events


def test_team_insights_in_a_real_browser(app_url) -> None:
    with stack.chromium() as driver:
        driver.get(f"{app_url}/insights")
        browser.wait_for_text(driver, "팀 전용 화면입니다")
        field = browser.wait(driver).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "input[aria-label='관리자 토큰']"))
        field.send_keys(ADMIN_TOKEN)
        browser.click(driver, browser.button(driver, "확인"))
        browser.wait_for_text(driver, "카탈로그 구성")
        browser.wait_for_text(driver, "추천 모델 평가")
        browser.wait_until_idle(driver)
        browser.screenshot(driver, "07-insights")
        assert "Traceback" not in driver.find_element(By.TAG_NAME, "body").text


@pytest.fixture(scope="module")
def replica_shop(frontend_stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShopServer]:
    """The replica shop on the port the backend allow-lists; the seeded items' shop pages point at its
    goods pages meanwhile."""
    root = tmp_path_factory.mktemp("replica-shop")
    truth = build_shop(root, items=40, outfits=4, seed=3, per_page=5)
    goods = [item.goods_no for item in truth.items]
    # the same subcategory, and the same colour where the shop has one
    same_kind = {key: item.goods_no for item in truth.items
                 for key in (item.subcategory, (item.subcategory, item.color_family))}
    server = ShopServer(root, port=frontend_stack.shop_port).start()
    with session_scope(frontend_stack.database_url) as session:
        items = session.scalars(select(Item).order_by(Item.id)).all()
        before = {item.id: item.shop_url for item in items}
        for n, item in enumerate(items):  # a goods page of the same kind of garment where the shop has one
            goods_no = same_kind.get((item.subcategory, item.color_family),
                                     same_kind.get(item.subcategory, goods[n % len(goods)]))
            item.shop_url = f"{server.url}/app/goods/{goods_no}/0"
    try:
        yield server
    finally:
        with session_scope(frontend_stack.database_url) as session:
            for item in session.scalars(select(Item)):
                item.shop_url = before.get(item.id, item.shop_url)
        server.stop()


def _keyed_button(driver, key: str):  # noqa: ANN001, ANN202
    """The button Streamlit drew for widget `key` (labels with icons are not plain text)."""
    return browser.wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, f".st-key-{key} button")))


def _add_from_search(driver, text: str, item_id: int) -> None:  # noqa: ANN001
    browser.type_into(driver, "검색어", text)
    browser.click(driver, _keyed_button(driver, f"closet_add_find_{item_id}"))
    browser.wait_for_text(driver, "옷장에 담았습니다")
    browser.wait_until_idle(driver)


def test_closet_outfits_and_complete_the_look_in_a_real_browser(app_url, frontend_stack,
                                                                replica_shop) -> None:
    if not frontend_stack.model_trained:
        pytest.skip("the recommender package cannot train a model yet")
    url = frontend_stack.database_url
    picks = [("셔츠", helpers.item_of_cluster(url, "shirt", "white")),
             ("슬랙스", helpers.item_of_cluster(url, "slacks", "navy")),
             ("데님", helpers.item_of_cluster(url, "denim_pants", "blue"))]
    with stack.chromium() as driver:
        # 1. four garments: three catalogue items from the find page's cards, one described garment
        driver.get(app_url)
        browser.wait_for_text(driver, "이 옷 선택")
        for text, item_id in picks:
            _add_from_search(driver, text, item_id)
        closet_id = re.search(r"[?&]closet=([0-9a-f]{32})", driver.current_url).group(1)
        browser.screenshot(driver, "08-closet-added-from-find")
        browser.click(driver, browser.wait(driver).until(
            EC.element_to_be_clickable((By.XPATH, "//a[contains(@href, '/closet') and not(contains(@href, "
                                                  "'closet_outfits'))]"))))
        browser.wait_for_text(driver, "3벌")
        assert f"closet={closet_id}" in driver.current_url  # the id follows the shopper across pages
        browser.click(driver, browser.wait(driver).until(EC.element_to_be_clickable(
            (By.CSS_SELECTOR, "[data-testid='stExpander'] summary"))))
        browser.click(driver, _keyed_button(driver, "closet_add_described"))
        browser.wait_for_text(driver, "4벌")

        # 2. a reload (a new Streamlit session) brings the same closet back from the URL alone
        driver.get(f"{app_url}/closet?closet={closet_id}")
        browser.wait_for_text(driver, "4벌")
        browser.wait_for_text(driver, "직접 설명한 옷")
        browser.screenshot(driver, "09-closet-after-reload")
        browser.screenshot(driver, "09-closet-after-reload-phone", width=390)

        # 3. outfits made from the closet, each with its 코디 점수
        browser.click(driver, _keyed_button(driver, "closet_to_outfits"))
        browser.wait(driver, 60).until(lambda d: re.search(r"코디 점수 \d{1,3}%",
                                                           d.find_element(By.TAG_NAME, "body").text))
        browser.wait_until_idle(driver)
        browser.screenshot(driver, "10-closet-outfits")

        # 4. complete the look: the closet has no shoes, so shoes (at least) come from the shop
        complete = browser.wait(driver).until(EC.element_to_be_clickable(
            (By.XPATH, "//button[starts-with(normalize-space(.), '완성하기')]")))
        browser.click(driver, complete)
        browser.wait_for_text(driver, "코디 1 완성하기")
        shop_links = browser.wait(driver).until(lambda d: d.find_elements(
            By.CSS_SELECTOR, "[class*='st-key-grid_complete_'] a.closet-thumb") or False)
        browser.wait_until_idle(driver)
        browser.screenshot(driver, "11-complete-the-look")

        # 5. a shop link opens the replica shop's goods page in a new tab, through the recording redirect
        link = shop_links[0]
        href = link.get_attribute("href")
        assert "/shop?session_id=" in href and link.get_attribute("target") == "_blank"
        shop_item = int(re.search(r"/items/(\d+)/shop", href).group(1))
        replica_shop.clear_log()
        tabs = set(driver.window_handles)
        browser.click(driver, link)
        browser.wait(driver).until(lambda d: len(d.window_handles) > len(tabs))
        driver.switch_to.window(next(h for h in driver.window_handles if h not in tabs))
        browser.wait(driver).until(lambda d: "무신사 스토어 (replica)" in d.title)
        driver.save_screenshot(str(browser.ARTIFACTS / "12-shop-page.png"))
        assert any(path.startswith("/app/goods/") for path in replica_shop.requests)

    with session_scope(frontend_stack.database_url) as session:
        stored = session.scalars(select(InteractionEvent).where(
            InteractionEvent.event_type == "shop_link_open", InteractionEvent.item_id == shop_item)).all()
    assert stored, "the shop click was not recorded"
