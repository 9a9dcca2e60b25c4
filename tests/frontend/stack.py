"""Start the real parts on 127.0.0.1 for tests and the benchmark: backend (uvicorn), the Streamlit app,
and headless Chromium. Readiness is polled with a deadline, never slept for."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    """Poll `condition` until it holds; TimeoutError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)  # polling interval, not synchronisation: the condition decides
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s")


def answers(url: str) -> bool:
    """True when `url` answers 200 now (a readiness probe: any connection error is "not yet")."""
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def _process(argv: list[str], env: Mapping[str, str], health_url: str, log: Path, name: str,
             timeout: float = 60.0) -> Iterator[subprocess.Popen]:
    """Run `argv` until the block ends; fail with the tail of its log if it never becomes healthy."""
    with log.open("wb") as log_file:
        process = subprocess.Popen(argv, cwd=PROJECT_ROOT, env={**os.environ, **env}, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            try:
                wait_until(lambda: process.poll() is None and answers(health_url), timeout, name)
            except TimeoutError as error:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{error}; exit code {process.poll()}; log:\n{tail}") from error
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def app_env(database_url: str, image_dir: Path, artifact_dir: Path, backend_url: str,
            admin_token: str) -> dict[str, str]:
    """The settings every process of one test stack shares."""
    return {"DATABASE_URL": database_url, "IMAGE_DIR": str(image_dir), "ARTIFACT_DIR": str(artifact_dir),
            "BACKEND_URL": backend_url, "ADMIN_TOKEN": admin_token,
            "PYTHONPATH": os.pathsep.join(p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p)}


@contextmanager
def backend(env: Mapping[str, str], port: int, log: Path, app: str = "backend.main:app") -> Iterator[str]:
    """The real FastAPI backend under uvicorn; yields its base URL once /api/v1/health answers."""
    base = f"http://127.0.0.1:{port}"
    argv = [PYTHON, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning"]
    with _process(argv, env, f"{base}/api/v1/health", log, "backend"):
        yield base


@contextmanager
def streamlit_app(env: Mapping[str, str], port: int, log: Path) -> Iterator[str]:
    """`streamlit run frontend/app.py` headless; yields its URL once /_stcore/health answers."""
    base = f"http://127.0.0.1:{port}"
    argv = [PYTHON, "-m", "streamlit", "run", "frontend/app.py", "--server.headless", "true",
            "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats",
            "false", "--server.fileWatcherType", "none", "--client.toolbarMode", "minimal"]
    with _process(argv, env, f"{base}/_stcore/health", log, "streamlit", timeout=90.0):
        yield base


@contextmanager
def chromium(width: int = 1280, height: int = 1000) -> Iterator[object]:
    """Headless Chromium through Selenium, offline (see RECIPES.md)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"
    with tempfile.TemporaryDirectory(prefix="closet-chrome-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--disable-quic", f"--user-data-dir={profile}",
                         f"--window-size={width},{height}", "--lang=ko-KR"):
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            yield driver
        finally:
            driver.quit()
