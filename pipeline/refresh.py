"""One refresh: take the lock, run crawl -> features -> train -> feedback -> evaluation, print one line per
step."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

from pipeline.lock import LOCK_FILE, RefreshLock, RefreshRunning
from pipeline.steps import (
    RefreshConfig,
    StepFailed,
    crawl_step,
    evaluate_step,
    features_step,
    feedback_step,
    train_step,
)

EXIT_OK, EXIT_STEP_FAILED, EXIT_LOCKED = 0, 2, 3
STEPS: tuple[tuple[str, Callable[[RefreshConfig], str]], ...] = (
    ("crawl", crawl_step), ("features", features_step), ("train", train_step), ("feedback", feedback_step),
    ("evaluation", evaluate_step),
)


def run_steps(config: RefreshConfig, out: Callable[[str], None] = print) -> int:
    """Every step in order (the caller holds the lock); a failing step stops the ones after it."""
    for index, (name, step) in enumerate(STEPS):
        try:
            out(step(config))
        except StepFailed as failure:
            out(str(failure))
        except Exception as error:  # one line, then stop; the traceback goes to stderr
            traceback.print_exc(file=sys.stderr)
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            out(f"{name}: FAILED ({type(error).__name__}: {first})")
        else:
            continue
        for later, _ in STEPS[index + 1:]:
            out(f"{later}: skipped (an earlier step failed)")
        return EXIT_STEP_FAILED
    return EXIT_OK


def refresh(config: RefreshConfig, out: Callable[[str], None] = print) -> int:
    """One locked refresh; 3 with a message on stderr when another refresh holds the lock."""
    try:
        with RefreshLock(config.artifact_dir / LOCK_FILE):
            return run_steps(config, out)
    except RefreshRunning as running:
        print(f"{running}; not starting a second one", file=sys.stderr)
        return EXIT_LOCKED
