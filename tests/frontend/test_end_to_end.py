"""A shopper in real headless Chromium: search -> pick -> matches -> outfit -> survey, against the real
backend and `streamlit run frontend/app.py`; the survey row must reach the database. Screenshots of
every page go to test-artifacts/frontend/."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import InteractionEvent, Item, SurveyResponse
from tests.frontend import browser, stack
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
