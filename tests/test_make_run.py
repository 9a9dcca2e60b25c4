"""`make run DATABASE_URL=mysql+pymysql://...` end to end, once, on the MariaDB the tests start.

The real Makefile target runs: migrations, the Chromium crawl of the replica shop, features, training,
then shop + backend + app. The test checks each result where a user would see it, then stops the whole
process group the way a user does (Ctrl-C) and checks that no server is left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from crawler.browser import local_browser_available
from db.engine import get_engine, session_scope
from db.mariadb_server import MariaDBServer
from model.recommender.artifact import current_artifact
from model.recommender.training_data import load_training_set
from tests.crawler.truth import assert_matches_truth, load
from tests.frontend.stack import PROJECT_ROOT, answers, free_port, wait_until

pytestmark = [pytest.mark.mariadb, pytest.mark.browser, pytest.mark.slow]

# A quarter of the default demo shop: every step the same, ready after ~2.3 min on two busy cores
# instead of ~4.5 min for the full 600 items (crawl 42 s instead of 141 s, features 34 s instead of 70 s).
SMALL_SHOP = "--items 150 --outfits 60"
START_TIMEOUT_S = 420  # under pytest's 600 s, leaving room for the checks and the stop
STOP_TIMEOUT_S = 30
# Settings that make run derives from its own ports, or that would send data outside tmp_path.
DERIVED = ("BACKEND_URL", "BACKEND_PORT", "SHOP_ORIGINS", "DATA_DIR", "IMAGE_DIR", "ARTIFACT_DIR")


def _own_environment() -> dict[str, str]:
    """This process's environment without DERIVED, and without a parent make's flags (`make test` runs
    pytest: its MAKEFLAGS would hand the inner make the outer one's jobserver and options)."""
    return {k: v for k, v in os.environ.items()
            if k not in DERIVED and k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


def _live_members(group: int) -> list[str]:
    """`pid command` of every process in `group` that has not exited (zombies are already gone)."""
    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # exited while we looked
        command, _, rest = text.rpartition(")")
        state, _ppid, pgrp = rest.split()[:3]
        if int(pgrp) == group and state != "Z":
            live.append(f"{stat.parent.name} {command.partition('(')[2]}")
    return live


def _stop(process: subprocess.Popen) -> list[str]:
    """Ctrl-C for the whole group, then SIGTERM, then SIGKILL; returns what Ctrl-C alone left running."""
    left_after_ctrl_c: list[str] = []
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if not _live_members(process.pid):
            break
        os.killpg(process.pid, sig)
        try:
            wait_until(lambda: not _live_members(process.pid), STOP_TIMEOUT_S, f"stop after {sig.name}")
        except TimeoutError:
            left_after_ctrl_c = left_after_ctrl_c or _live_members(process.pid)
    process.wait(timeout=STOP_TIMEOUT_S)
    return left_after_ctrl_c


@contextmanager
def _make_run(variables: dict[str, str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`make run` with `variables` on its command line, in its own process group, stopped at the end.

    `-o setup`: this test runs inside the venv that `make setup` installed (CI does that first), so make
    must not reinstall it or fetch the rembg model, whatever the checkout's file dates say."""
    argv = ["make", "--no-print-directory", "-o", "setup", "run", *(f"{k}={v}" for k, v in variables.items())]
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        yield process
    except BaseException:
        _stop(process)  # the original failure is the one to report, with what make run printed
        print(log.read_text(errors="replace")[-6000:])
        raise
    left = _stop(process)
    assert not left, f"make run left processes running after Ctrl-C: {left}"


def _ready(process: subprocess.Popen, urls: list[str], log: Path) -> bool:
    """True once every URL answers; fails at once (with the log) when make run has already exited."""
    if process.poll() is not None:
        raise AssertionError(f"make run exited with {process.returncode}:\n"
                             f"{log.read_text(errors='replace')[-4000:]}")
    return all(answers(url) for url in urls)


def test_make_run_on_mariadb(mariadb_server: MariaDBServer, tmp_path: Path) -> None:
    if not local_browser_available():
        pytest.skip("Chromium/chromedriver are not installed (make system-packages)")
    url = mariadb_server.create_database()
    data = tmp_path / "data"
    shop_port, app_port, backend_port = free_port(), free_port(), free_port()
    env = _own_environment()
    env.update(DATA_DIR=str(data), IMAGE_DIR=str(data / "images"), ARTIFACT_DIR=str(data / "artifacts"))
    backend, app, shop = (f"http://127.0.0.1:{port}" for port in (backend_port, app_port, shop_port))
    log = tmp_path / "make-run.log"
    variables = {"DATABASE_URL": url, "SHOP_PORT": str(shop_port), "APP_PORT": str(app_port),
                 "BACKEND_PORT": str(backend_port), "SEED_ARGS": SMALL_SHOP}
    started = time.monotonic()
    with _make_run(variables, env, log) as process:
        wait_until(lambda: _ready(process, [f"{backend}/api/v1/ready", f"{app}/_stcore/health"], log),
                   START_TIMEOUT_S, "make run's backend and app", interval=0.5)
        print(f"make run ready after {time.monotonic() - started:.0f} s")

        # The crawl stored every reachable item and outfit of the shop exactly, on MariaDB.
        assert_matches_truth(url, data / "demo_shop", shop, data / "images")
        # The backend finds a crawled item by its name, and its shop link leads to the shop make run serves.
        item = next(i for i in load(data / "demo_shop")["items"] if i["outfits"])
        found = httpx.get(f"{backend}/api/v1/items/search", timeout=10,
                          params={"q": item["name"], "recommendable_only": "false", "page_size": 100}).json()
        [match] = [i for i in found["items"] if i["source_id"] == str(item["goods_no"])]
        link = httpx.get(f"{backend}/api/v1/items/{match['id']}/shop", timeout=10)
        assert link.status_code == 307, link.text
        assert link.headers["location"] == f"{shop}/app/goods/{item['goods_no']}/0"
        assert httpx.get(link.headers["location"], timeout=10).status_code == 200
        # The model was trained on exactly this data.
        with session_scope(url) as session:
            snapshot = load_training_set(session).snapshot_id()
        assert current_artifact(snapshot, data / "artifacts") is not None
        page = httpx.get(app, timeout=10)
        assert page.status_code == 200 and "<noscript>" in page.text.lower(), page.text[:300]
    get_engine(url).dispose()
    for base in (backend, app, shop):
        assert not answers(base), f"{base} still answers after make run stopped"
