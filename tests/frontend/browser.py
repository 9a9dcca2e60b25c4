"""Selenium steps for the Streamlit app (shared by the end-to-end test and the render benchmark)."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "frontend"

# True once every thumbnail in the match grids has loaded (at least `n` of them)
IMAGES_LOADED_JS = """
const imgs = Array.from(document.querySelectorAll('a.closet-thumb img'));
return imgs.length >= arguments[0] && imgs.every(i => i.complete && i.naturalWidth > 0);
"""


def wait(driver: WebDriver, timeout: float = 30.0) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


def wait_for_text(driver: WebDriver, text: str, timeout: float = 30.0) -> None:
    wait(driver, timeout).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), text))


def button(driver: WebDriver, label: str, within: str = "") -> WebElement:
    """The first visible, clickable button whose text is `label` (optionally inside a CSS scope)."""
    xpath = f"//button[normalize-space(.)='{label}']"
    if within:
        scope = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, within)))
        return wait(driver).until(lambda _d: next(
            (b for b in scope.find_elements(By.XPATH, "." + xpath) if b.is_displayed() and b.is_enabled()),
            False))
    return wait(driver).until(EC.element_to_be_clickable((By.XPATH, xpath)))


def click(driver: WebDriver, element: WebElement) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def type_into(driver: WebDriver, label: str, text: str) -> None:
    """Type into the text input labelled `label` and commit it with Enter (Streamlit reruns then)."""
    field = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"input[aria-label='{label}']")))
    field.send_keys(Keys.CONTROL, "a")  # replace what is there (clear() does not reach React's state)
    field.send_keys(Keys.BACKSPACE, text, Keys.ENTER)


def wait_until_idle(driver: WebDriver, timeout: float = 30.0) -> None:
    """No script run in progress (status widget gone) and no element left over from the last run."""
    wait(driver, timeout).until_not(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid='stStatusWidget']")))
    wait(driver, timeout).until_not(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[data-stale='true']")))


def screenshot(driver: WebDriver, name: str, width: int | None = None) -> Path:
    """Full-page screenshot into test-artifacts/frontend (git-ignored); `width` e.g. 390 for a phone."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    wait_until_idle(driver)
    driver.execute_script("window.scrollTo(0, 0); document.querySelectorAll('[data-testid=stMain]')"
                          ".forEach(e => e.scrollTo(0, 0));")
    before = driver.get_window_size()
    width = width or before["width"]
    driver.set_window_size(width, before["height"])
    wait(driver).until(lambda d: d.execute_script("return window.innerWidth") <= width)
    height = driver.execute_script(
        "return Math.max(document.body.scrollHeight, ...Array.from("
        "document.querySelectorAll('section, [data-testid=stMain]')).map(e => e.scrollHeight))")
    driver.set_window_size(width, min(max(int(height) + 120, 800), 6000))
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(before["width"], before["height"])
    return path
