"""Turn the usage events newer than the last run into feedback evidence.

    python -m model.feedback [--database-url URL] [--artifact-dir DIR]

Reads only events and survey answers after the watermark stored with the evidence
(`ARTIFACT_DIR/feedback/evidence.npz`), adds them, refits the examination curve and the weight, and
prints what it did. `python -m model.train` runs it after training; the app picks the new evidence up
within `FEEDBACK_TTL_S`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from db.engine import session_scope
from db.settings import get_settings
from model.feedback.events_db import read_new_events
from model.feedback.evidence import FEEDBACK_DIR, Evidence
from model.feedback.job import RunReport, run


def run_feedback_job(database_url: str | None = None, artifact_dir: Path | None = None,
                     kappa: float | None = None, *, only_when_new: bool = False) -> RunReport | None:
    """Add the new events to the evidence and save it; with `only_when_new`, None (and nothing written)
    when no event or survey answer arrived since the last run (the refresh pipeline's no-op run)."""
    settings = get_settings()
    directory = Path(artifact_dir or settings.artifact_dir) / FEEDBACK_DIR
    evidence = Evidence.load(directory)
    with session_scope(database_url) as session:
        log = read_new_events(session, evidence.meta["last_event_id"], evidence.meta["last_survey_id"])
    if only_when_new and (log.last_event_id, log.last_survey_id) == (
            evidence.meta["last_event_id"], evidence.meta["last_survey_id"]):
        return None
    report = run(evidence, log, kappa if kappa is not None else settings.feedback_pseudo_count)
    evidence.save(directory)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Update the feedback evidence from new usage events.")
    parser.add_argument("--database-url", default=None, help="defaults to settings.database_url")
    parser.add_argument("--artifact-dir", type=Path, default=None, help="defaults to settings.artifact_dir")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report = run_feedback_job(args.database_url, args.artifact_dir)
    print(f"feedback: {report.impressions} new impressions, {report.successes} clicks, "
          f"{report.survey_answers} survey answers; examination e(r) = r^-{report.eta:.2f}; "
          f"weights cluster {report.weights[0]:.2f}, item {report.weights[1]:.2f} "
          f"({'fitted' if report.weight_fitted else 'default'}); "
          f"{report.item_pairs} item pairs, {report.cluster_pairs} cluster pairs "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
