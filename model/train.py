"""Train the recommender on the outfits in the configured database and write a versioned artifact.

    python -m model.train [--database-url URL] [--artifact-dir DIR] [--seed 0] [--no-progress] [--if-stale]

`--if-stale` trains only when the latest artifact was not trained on the database's current data
(its snapshot id differs) or when there is none: what `make run` needs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from db.engine import session_scope
from db.settings import get_settings
from model.recommender.artifact import current_artifact, save_artifact
from model.recommender.lightgcn import LightGCNConfig
from model.recommender.model import ClosetConfig, ClosetModel
from model.recommender.training_data import load_training_set


def train(database_url: str | None = None, artifact_dir: Path | None = None, seed: int = 0,
          progress: bool = True, if_stale: bool = False) -> Path:
    """Fit on the whole database and save; returns the artifact directory."""
    artifact_dir = Path(artifact_dir or get_settings().artifact_dir)
    with session_scope(database_url) as session:
        data = load_training_set(session)
    if if_stale and (existing := current_artifact(data.snapshot_id(), artifact_dir)) is not None:
        return existing
    if len(data.catalogue) == 0:
        raise ValueError("the database has no items: import a data set first (python -m db import ...)")
    started = time.perf_counter()
    model = ClosetModel(ClosetConfig(gcn=LightGCNConfig(seed=seed, progress=progress), seed=seed)).fit(data)
    seconds = time.perf_counter() - started
    return save_artifact(model, artifact_dir, extra={"train_seconds": round(seconds, 2), "seed": seed})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the Closet recommender on the database's outfits.")
    parser.add_argument("--database-url", default=None, help="defaults to settings.database_url")
    parser.add_argument("--artifact-dir", type=Path, default=None, help="defaults to settings.artifact_dir")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--if-stale", action="store_true", help="skip when the latest artifact is current")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        path = train(args.database_url, args.artifact_dir, args.seed, not args.no_progress, args.if_stale)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"artifact written to {path} in {time.perf_counter() - started:.1f} s")
    from model.feedback.__main__ import main as feedback_main  # its own step: events -> evidence

    return feedback_main([*(["--database-url", args.database_url] if args.database_url else []),
                          *(["--artifact-dir", str(args.artifact_dir)] if args.artifact_dir else [])])


if __name__ == "__main__":
    sys.exit(main())
