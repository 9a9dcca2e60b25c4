"""Hot reload: a running app picks up a model trained after it started, without a restart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from model.recommender.artifact import LATEST, SUBDIR
from tests.frontend import helpers

PAGE = "views/matches.py"
TIMEOUT_S = 60


def publish_copy(trained_dir: Path, target_dir: Path, name: str) -> Path:
    """The trained artifact copied into `target_dir` as version `name`, then named in LATEST (as
    save_artifact does: the pointer is replaced last, so the app never sees half a version)."""
    source = trained_dir / SUBDIR / (trained_dir / SUBDIR / LATEST).read_text(encoding="utf-8").strip()
    root = target_dir / SUBDIR
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, root / name)
    pointer = root / f".{LATEST}.tmp"
    pointer.write_text(name, encoding="utf-8")
    pointer.replace(root / LATEST)
    return root / name


def test_a_model_trained_while_the_app_runs_is_served_without_a_restart(make_app, frontend_stack,
                                                                         tmp_path: Path) -> None:
    if not frontend_stack.model_trained:
        pytest.skip("the recommender package cannot train a model yet")
    from frontend import data

    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    at = make_app(artifact_dir=artifacts)
    at.session_state["query_item"] = helpers.items(frontend_stack.backend_url,
                                                   [frontend_stack.catalogue.shirt_white_id])[0]
    at.session_state["variant"] = "control"
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("추천 모델" in w.value for w in at.warning)  # not trained yet
    assert not at.subheader

    first = publish_copy(frontend_stack.artifact_dir, artifacts, "20260101T000000000000-first")
    at.run()  # the same process, the same reloader: the first model is waited for
    assert not at.exception
    assert [h.value for h in at.subheader] == ["아우터", "하의", "신발", "가방", "모자"]
    reloader = data._reloader()
    assert reloader.in_use[1] == first and reloader.loads == 1

    second = publish_copy(frontend_stack.artifact_dir, artifacts, "20260101T000001000000-second")
    at.run()  # starts the background load; this run is served by the first model
    assert not at.exception
    assert [h.value for h in at.subheader] == ["아우터", "하의", "신발", "가방", "모자"]
    assert reloader.wait(TIMEOUT_S)
    at.run()
    assert not at.exception
    assert reloader.in_use[1] == second and reloader.loads == 2
    assert [h.value for h in at.subheader] == ["아우터", "하의", "신발", "가방", "모자"]
