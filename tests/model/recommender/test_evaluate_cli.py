"""`python -m model.evaluate` on files it cannot read: one clear line on stderr and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.evaluate import main


def test_missing_files_are_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.json"
    assert main(["--format", "musinsa-snap", "--train", str(missing), "--test", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "missing.json" in err and "Traceback" not in err


def test_unreadable_records_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "outfits.json"
    broken.write_text('[{"outfit_id": "1", "items": "not a list"}]', encoding="utf-8")
    assert main(["--format", "musinsa-snap", "--train", str(broken), "--test", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: no outfits read from {broken}")
