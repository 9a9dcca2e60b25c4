"""Everything one crawl is configured with (the command line fills it; tests and benchmarks too)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path


def positive_int(value: str) -> int:
    """argparse type for counts that must be at least 1 (the crawler's and the refresh's flags)."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def add_discovery_arguments(group: argparse._ActionsContainer) -> None:
    """How far a crawl goes: the same flags on `python -m crawler` and `python -m pipeline refresh`."""
    group.add_argument("--max-depth", type=int, default=6, help="links from the start page (paging excluded)")
    group.add_argument("--max-outfits", type=positive_int, help="stop finding outfit pages after this many")
    group.add_argument("--max-items", type=positive_int, help="stop discovering goods pages after this many")


@dataclass(slots=True)
class CrawlOptions:
    start_url: str
    database_url: str
    image_dir: Path
    max_depth: int = 6
    max_outfits: int | None = None
    max_items: int | None = None
    workers: int = 1
    remote_url: str | None = None
    delay: float = 1.0
    page_timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    max_failures: int = 10
    retry_failed: bool = False
    progress: bool = True
