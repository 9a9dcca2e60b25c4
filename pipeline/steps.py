"""The four refresh steps. Each returns one summary line and does no work when nothing changed."""

from __future__ import annotations

import contextlib
import io
import json
import math
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update

EVAL_FORMATS = ("mango", "musinsa-snap")


@dataclass
class RefreshConfig:
    """What one refresh uses; the command line fills it (tests too)."""

    database_url: str
    artifact_dir: Path
    start_url: str | None = None
    max_depth: int = 6
    max_outfits: int | None = None
    max_items: int | None = None
    crawl_workers: int = 1
    remote_url: str | None = None
    delay: float = 1.0
    retry_failed: bool = False
    image_dir: Path | None = None
    images: bool = True
    feature_workers: int = 1
    seed: int = 0
    evaluate_split: Path | None = None
    evaluate_format: str | None = None


def _seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


def crawl_step(config: RefreshConfig) -> str:
    """Re-read the start list page (and resume any unfinished crawl); only unseen pages are fetched."""
    if not config.start_url:
        return "crawl: skipped (no --start-url given)"
    from crawler import urls
    from crawler.options import CrawlOptions
    from crawler.run import crawl
    from db import migrate
    from db.engine import session_scope
    from db.models import CrawlPage, Item, Outfit
    from db.settings import get_settings

    started = time.perf_counter()
    start = urls.canonical(config.start_url)
    migrate.upgrade(config.database_url)
    with session_scope(config.database_url) as session:
        outfits_before = session.scalar(select(func.count()).select_from(Outfit)) or 0
        items_before = session.scalar(select(func.count()).select_from(Item)) or 0
        # a finished start list page would never be fetched again: put it back on the stack, so new
        # outfits listed there are found (known outfit pages and known next pages are not pushed again)
        session.execute(update(CrawlPage).where(CrawlPage.url == start, CrawlPage.kind == "list",
                                                CrawlPage.state == "done").values(state="pending"))
    options = CrawlOptions(
        start_url=start, database_url=config.database_url,
        image_dir=config.image_dir or get_settings().image_dir, max_depth=config.max_depth,
        max_outfits=config.max_outfits, max_items=config.max_items, workers=config.crawl_workers,
        remote_url=config.remote_url, delay=config.delay, retry_failed=config.retry_failed, progress=False,
    )
    summary = crawl(options)
    new_outfits, new_items = summary.outfits - outfits_before, summary.items - items_before
    line = (f"crawl: {new_outfits} new outfits, {new_items} new items, "
            f"{summary.fetched_this_run} pages handled, {len(summary.failures)} failed or skipped pages "
            f"in all, {_seconds(started)}")
    if summary.aborted:
        raise StepFailed(f"{line}; STOPPED: {summary.aborted}")
    return line


class StepFailed(RuntimeError):
    """A step ended without doing its job; the message is its summary line."""


def features_step(config: RefreshConfig) -> str:
    """`model.features build`: recomputes only items whose inputs changed (features_hash)."""
    from model.features.pipeline import build_features

    started = time.perf_counter()
    report = build_features(config.database_url, images=config.images, workers=config.feature_workers,
                            artifact_dir=config.artifact_dir, image_dir=config.image_dir)
    return (f"features: {report.items} items, {report.changed} changed, {report.images_read} images read, "
            f"{report.clusters} clusters ({report.clusters_changed} changed), {report.outfits} outfits, "
            f"{_seconds(started)}")


def train_step(config: RefreshConfig) -> str:
    """`model.train --if-stale`: trains only when the data's snapshot id is not the latest artifact's."""
    from db.engine import session_scope
    from model.recommender.artifact import current_artifact
    from model.recommender.training_data import load_training_set

    started = time.perf_counter()
    with session_scope(config.database_url) as session:
        data = load_training_set(session)
    counts = f"{len(data.catalogue)} items, {len(data.outfits)} outfits"
    if (current := current_artifact(data.snapshot_id(), config.artifact_dir)) is not None:
        return f"train: up to date ({current.name}; {counts}), {_seconds(started)}"
    if len(data.catalogue) == 0:
        return f"train: skipped (the database has no items), {_seconds(started)}"
    from model.train import train

    path = train(config.database_url, config.artifact_dir, config.seed, progress=False, if_stale=True)
    return f"train: trained {path.name} ({counts}), {_seconds(started)}"


def feedback_step(config: RefreshConfig) -> str:
    """`model.feedback` (as `model.train` runs it): the usage events since its last run become feedback
    evidence for the `feedback` variant; with none, nothing is written."""
    from model.feedback.__main__ import run_feedback_job

    started = time.perf_counter()
    report = run_feedback_job(config.database_url, config.artifact_dir, only_when_new=True)
    if report is None:
        return f"feedback: up to date (no new events), {_seconds(started)}"
    return (f"feedback: {report.impressions} new impressions, {report.successes} clicks, "
            f"{report.survey_answers} survey answers, {_seconds(started)}")


def split_files(split: Path, fmt: str) -> tuple[Path, Path]:
    """Where `model.split --out SPLIT` puts the train and test parts (see `make evaluate`)."""
    if fmt == "mango":
        return split / "train", split / "test"
    return split / "train.json", split / "test.json"


def _newest_mtime(paths: list[Path]) -> float:
    times = []
    for path in paths:
        times.append(path.stat().st_mtime)
        if path.is_dir():
            times.extend(p.stat().st_mtime for p in path.rglob("*"))
    return max(times)


def evaluate_step(config: RefreshConfig) -> str:
    """`model.evaluate` on a split, only when the split is newer than the last evaluation of it."""
    if config.evaluate_split is None:
        return "evaluation: skipped (no --evaluate-split given)"
    from db.settings import get_settings
    from model.evaluate import EVALUATION_FILE

    fmt = config.evaluate_format or "mango"
    train, test = split_files(config.evaluate_split, fmt)
    if not (train.exists() and test.exists()):
        return f"evaluation: skipped (no {fmt} split in {config.evaluate_split}; `make evaluate` makes one)"
    started = time.perf_counter()
    path = get_settings().artifact_dir / EVALUATION_FILE  # where model.evaluate always saves
    try:
        entry = json.loads(path.read_text(encoding="utf-8")).get(fmt) or {}
    except (OSError, json.JSONDecodeError):
        entry = {}
    if entry.get("train") == str(train) and entry.get("test") == str(test) and entry.get("created_at"):
        evaluated = datetime.fromisoformat(entry["created_at"]).timestamp()
        if evaluated >= math.floor(_newest_mtime([train, test])):  # created_at has whole seconds
            return f"evaluation: up to date ({fmt}, {entry['created_at']}), {_seconds(started)}"
    from model.evaluate import main as evaluate_main

    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        code = evaluate_main(["--format", fmt, "--train", str(train), "--test", str(test),
                              "--seed", str(config.seed), "--no-progress"])
    if code != 0:
        raise StepFailed(f"evaluation: FAILED (model.evaluate exited {code}), {_seconds(started)}")
    entry = json.loads(path.read_text(encoding="utf-8"))[fmt]
    closet = entry["methods"].get("closet", {})
    k = entry.get("k", 10)
    scores = f"closet hit@{k} {closet.get(f'hit@{k}', float('nan')):.4f}, ndcg@{k} " \
             f"{closet.get(f'ndcg@{k}', float('nan')):.4f}"
    return f"evaluation: {fmt}, {entry.get('test_outfits')} test outfits, {scores}, {_seconds(started)}"
