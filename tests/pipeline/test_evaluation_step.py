"""The evaluation step on a small Mango split: evaluates once, then is up to date until the split changes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.importers.mango import OUTFIT_FILE, PRODUCT_FILE
from db.settings import get_settings
from model.split import main as split_main
from pipeline.steps import RefreshConfig, StepFailed, evaluate_step
from tests.model.recommender.test_split import N_OUTFITS, PRODUCT_FIELDS, PRODUCTS, write_csv


@pytest.fixture()
def artifact_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """model.evaluate saves into the settings' ARTIFACT_DIR: point it at the test's directory."""
    monkeypatch.setenv("ARTIFACT_DIR", str(tmp_path / "artifacts"))
    get_settings.cache_clear()
    yield tmp_path / "artifacts"
    monkeypatch.undo()
    get_settings.cache_clear()


def test_evaluates_a_new_split_once(tmp_path: Path, artifact_dir: Path) -> None:
    source = tmp_path / "mango"
    source.mkdir()
    write_csv(source / PRODUCT_FILE, PRODUCT_FIELDS, PRODUCTS)
    write_csv(source / OUTFIT_FILE, ["cod_outfit", "cod_modelo_color"],
              [[str(o), p[0]] for o in range(1, N_OUTFITS + 1) for p in PRODUCTS[: 2 + o % 2]])
    split = tmp_path / "splits" / "mango"
    assert split_main(["--format", "mango", str(source), "--out", str(split), "--seed", "0"]) == 0
    config = RefreshConfig(database_url="sqlite://", artifact_dir=artifact_dir, evaluate_split=split,
                           evaluate_format="mango")
    line = evaluate_step(config)
    assert line.startswith("evaluation: mango, ") and "closet hit@10 " in line, line
    assert (artifact_dir / "evaluation.json").exists()
    assert evaluate_step(config).startswith("evaluation: up to date (mango, ")

    newer = os.stat(split / "test").st_mtime + 10  # the split is made again
    os.utime(split / "test", (newer, newer))
    assert evaluate_step(config).startswith("evaluation: mango, ")


def test_a_broken_split_fails_the_step(tmp_path: Path, artifact_dir: Path) -> None:
    split = tmp_path / "split"
    (split / "train").mkdir(parents=True)
    (split / "test").mkdir()
    config = RefreshConfig(database_url="sqlite://", artifact_dir=artifact_dir, evaluate_split=split,
                           evaluate_format="mango")
    with pytest.raises(StepFailed, match=r"evaluation: FAILED \(model.evaluate exited 2\)"):
        evaluate_step(config)
