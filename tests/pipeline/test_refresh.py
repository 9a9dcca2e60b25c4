"""`python -m pipeline refresh` on a real database (SQLite and MariaDB): trains once, then changes nothing."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from db.engine import get_engine, session_scope
from db.importers.records import ItemRecord, OutfitRecord
from db.importers.writer import upsert_items, upsert_outfits
from pipeline.__main__ import main
from pipeline.lock import LOCK_FILE, RefreshLock
from pipeline.steps import RefreshConfig, evaluate_step
from tests.conftest import PROJECT_ROOT
from tests.model.recommender.conftest import CLUSTERS

ITEMS_PER_CLUSTER = 3


def seed(url: str, outfits: range) -> None:
    """Three items in each of six clusters and outfits of one top, bottom and shoes in two styles."""
    records = []
    for c, (big, _key, name, brand) in enumerate(CLUSTERS):
        for i in range(ITEMS_PER_CLUSTER):
            records.append(ItemRecord(source="musinsa", source_id=f"{c}-{i}", name=f"{name} {i}", brand=brand,
                                      big_class_raw={"top": "상의", "bottom": "하의"}.get(big, big)))
    members = [OutfitRecord(source="musinsa_snap", source_id=str(n),
                            members=[(("musinsa", f"{(n % 2) * 3 + c}-{n % 3}"), c + 1) for c in range(3)])
               for n in outfits]
    with session_scope(url) as session:
        upsert_outfits(session, members, upsert_items(session, records))


def artifacts(artifact_dir: Path) -> list[str]:
    root = artifact_dir / "recommender"
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.exists() else []


def sqlite_digest(url: str) -> str:
    """The database file's bytes once the WAL is checkpointed into it (unchanged unless something wrote)."""
    path = Path(url.removeprefix("sqlite:///"))
    with closing(sqlite3.connect(path)) as connection:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refresh(url: str, artifact_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["refresh", "--database-url", url, "--artifact-dir", str(artifact_dir), "--no-images"])
    captured = capsys.readouterr()
    print(captured.err, end="", file=sys.stderr)  # left for the test to read again
    return code, captured.out.splitlines()


def test_refresh_trains_once_then_changes_nothing(db_url: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    seed(db_url, range(12))
    artifact_dir = tmp_path / "artifacts"
    code, lines = refresh(db_url, artifact_dir, capsys)
    assert code == 0, lines
    assert [line.split(":")[0] for line in lines] == ["crawl", "features", "train", "feedback", "evaluation"]
    assert lines[0] == "crawl: skipped (no --start-url given)"
    assert lines[1].startswith("features: 18 items, 18 changed, 0 images read, 6 clusters (6 changed), "
                               "12 outfits, ")
    assert lines[2].startswith("train: trained ") and "(18 items, 12 outfits)" in lines[2]
    assert lines[3].startswith("feedback: up to date (no new events), ")  # nothing logged yet
    assert lines[4] == "evaluation: skipped (no --evaluate-split given)"
    trained = artifacts(artifact_dir)
    assert len(trained) == 1 and trained[0] in lines[2]
    cooccurrence = artifact_dir / "cooccurrence.npz"
    stamp = cooccurrence.stat().st_mtime_ns
    before = sqlite_digest(db_url) if db_url.startswith("sqlite") else None

    code, lines = refresh(db_url, artifact_dir, capsys)  # nothing new: no work, no writes, no artifact
    assert code == 0, lines
    assert lines[1].startswith("features: 18 items, 0 changed, 0 images read, 6 clusters (0 changed), ")
    assert lines[2].startswith(f"train: up to date ({trained[0]}; 18 items, 12 outfits)")
    assert artifacts(artifact_dir) == trained
    assert cooccurrence.stat().st_mtime_ns == stamp
    if before is not None:
        assert sqlite_digest(db_url) == before

    seed(db_url, range(12, 14))  # two new outfits of known items: same features, new co-occurrence, retrain
    code, lines = refresh(db_url, artifact_dir, capsys)
    assert code == 0, lines
    assert lines[1].startswith("features: 18 items, 0 changed, 0 images read, 6 clusters (") and \
        "14 outfits" in lines[1]
    assert lines[2].startswith("train: trained ") and "(18 items, 14 outfits)" in lines[2]
    assert len(artifacts(artifact_dir)) == 2
    assert cooccurrence.stat().st_mtime_ns != stamp


def test_a_held_lock_makes_a_second_refresh_exit_3(sqlite_url: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    artifact_dir = tmp_path / "artifacts"
    with RefreshLock(artifact_dir / LOCK_FILE):
        code, lines = refresh(sqlite_url, artifact_dir, capsys)
        err = capsys.readouterr().err
    assert code == 3 and lines == []
    assert f"another refresh is running (pid {os.getpid()})" in err
    with RefreshLock(artifact_dir / LOCK_FILE):  # released: it can be taken again
        pass


def test_the_lock_holds_across_processes(sqlite_url: str, tmp_path: Path) -> None:
    artifact_dir = tmp_path / "artifacts"
    command = [sys.executable, "-m", "pipeline", "refresh", "--database-url", sqlite_url,
               "--artifact-dir", str(artifact_dir)]
    with RefreshLock(artifact_dir / LOCK_FILE):
        result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, result.stderr
    assert result.stdout == ""
    assert f"another refresh is running (pid {os.getpid()}); lock file {artifact_dir / LOCK_FILE}" \
        in result.stderr


def test_a_failing_step_stops_the_later_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'no-schema.db'}"  # never migrated: the features step cannot read items
    code, lines = refresh(url, tmp_path / "artifacts", capsys)
    get_engine(url).dispose()
    assert code == 2
    assert lines[1].startswith("features: FAILED (")
    assert lines[2:] == ["train: skipped (an earlier step failed)",
                         "feedback: skipped (an earlier step failed)",
                         "evaluation: skipped (an earlier step failed)"]


def test_evaluation_is_skipped_without_a_split(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = RefreshConfig(database_url="sqlite://", artifact_dir=tmp_path, evaluate_split=tmp_path / "none",
                           evaluate_format="musinsa-snap")
    line = evaluate_step(config)
    assert line.startswith(f"evaluation: skipped (no musinsa-snap split in {tmp_path / 'none'}")
    with pytest.raises(SystemExit) as exit_info:
        main(["refresh", "--evaluate-split", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "--evaluate-split needs --format" in capsys.readouterr().err
