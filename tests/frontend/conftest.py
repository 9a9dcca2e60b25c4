"""Fixtures for the frontend: a seeded SQLite catalogue, the real backend serving it, a trained model
when the recommender is available, and AppTest runs of `frontend/app.py` pointed at all of that."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from db import migrate
from db.engine import get_engine
from db.settings import get_settings
from tests.frontend import stack
from tests.frontend.seed import SEED_SHOP_BASE, SeededCatalogue, seed_catalogue, train_model

ADMIN_TOKEN = "frontend-test-admin-token"
APP_FILE = str(stack.PROJECT_ROOT / "frontend" / "app.py")


@dataclass(frozen=True)
class Stack:
    database_url: str
    image_dir: Path
    artifact_dir: Path  # holds a trained model when the recommender could be trained
    empty_artifact_dir: Path  # never holds a model: the "not trained yet" state
    backend_url: str
    catalogue: SeededCatalogue
    model_trained: bool
    shop_port: int  # the local port the shop redirect allows besides 8600: a test's replica shop


@pytest.fixture(scope="session")
def frontend_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Seeded database + real backend on a free port, shared by every frontend test."""
    root = tmp_path_factory.mktemp("frontend")
    url = f"sqlite:///{root / 'closet.db'}"
    migrate.upgrade(url)
    image_dir, artifact_dir, empty_dir = root / "images", root / "artifacts", root / "no-artifacts"
    for path in (image_dir, artifact_dir, empty_dir):
        path.mkdir()
    catalogue = seed_catalogue(url, image_dir)
    trained = train_model(url, artifact_dir)
    port, shop_port = stack.free_port(), stack.free_port()
    env = stack.app_env(url, image_dir, artifact_dir, f"http://127.0.0.1:{port}", ADMIN_TOKEN)
    # exact origins only, as in production: the seeded shop links' and the replica shop's
    env["SHOP_ORIGINS"] = json.dumps([SEED_SHOP_BASE, f"http://127.0.0.1:{shop_port}"])
    app = os.environ.get("CLOSET_BACKEND_APP", "backend.main:app")  # the ASGI app to serve
    with stack.backend(env, port, root / "backend.log", app=app) as base:
        yield Stack(url, image_dir, artifact_dir, empty_dir, base, catalogue, trained, shop_port)
    get_engine(url).dispose()


def _reset_process_caches() -> None:
    """Settings and Streamlit caches are per process; each AppTest must see its own environment."""
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture()
def app_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Mapping[str, str]], AppTest]]:
    """Factory for an AppTest of the whole app in the environment `env` (`stack.app_env`), for tests that
    start their own backend; the process caches are reset so the app sees that environment."""

    def factory(env: Mapping[str, str]) -> AppTest:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        _reset_process_caches()
        return AppTest.from_file(APP_FILE, default_timeout=60)

    yield factory
    _reset_process_caches()


@pytest.fixture()
def make_app(frontend_stack: Stack, app_in: Callable[[Mapping[str, str]], AppTest]) -> Callable[..., AppTest]:
    """Factory for an AppTest of the whole app; `backend_url`/`artifact_dir` override the stack's."""

    def factory(backend_url: str | None = None, artifact_dir: Path | None = None) -> AppTest:
        return app_in(stack.app_env(frontend_stack.database_url, frontend_stack.image_dir,
                                    artifact_dir or frontend_stack.artifact_dir,
                                    backend_url or frontend_stack.backend_url, ADMIN_TOKEN))

    return factory


@pytest.fixture()
def down_url() -> str:
    """A loopback URL where nothing listens: the backend is down."""
    return f"http://127.0.0.1:{stack.free_port()}"
