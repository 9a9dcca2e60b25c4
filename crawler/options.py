"""Everything one crawl is configured with (the command line fills it; tests and benchmarks too)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
