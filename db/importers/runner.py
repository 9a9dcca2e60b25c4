"""Write a parsed source to the database in batched transactions, with a progress bar."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from db.engine import session_scope
from db.importers.mango import read_mango
from db.importers.musinsa_snap import read_musinsa_snap
from db.importers.records import ParsedSource, Problem
from db.importers.writer import upsert_items, upsert_outfits

log = logging.getLogger(__name__)

READERS: dict[str, Callable[[Path], ParsedSource]] = {
    "musinsa-snap": read_musinsa_snap,
    "mango": read_mango,
}


@dataclass
class ImportReport:
    """What an import did; `ok` is False when any record was skipped."""

    items: int = 0
    outfits: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def write_parsed(
    parsed: ParsedSource, url: str | None = None, batch_size: int = 500, progress: bool = True
) -> ImportReport:
    """Upsert items, then outfits; each batch is one transaction, so a failure loses one batch."""
    started = time.perf_counter()
    items = list(parsed.items.values())
    total = len(items) + len(parsed.outfits)
    item_ids: dict[tuple[str, str], int] = {}
    with tqdm(total=total, desc="import", unit="rec", disable=not progress) as bar:
        for start in range(0, len(items), batch_size):
            batch = items[start:start + batch_size]
            with session_scope(url) as session:
                item_ids.update(upsert_items(session, batch))
            bar.update(len(batch))
        for start in range(0, len(parsed.outfits), batch_size):
            batch = parsed.outfits[start:start + batch_size]
            with session_scope(url) as session:
                upsert_outfits(session, batch, item_ids)
            bar.update(len(batch))
    return ImportReport(
        items=len(items), outfits=len(parsed.outfits), problems=list(parsed.problems),
        seconds=time.perf_counter() - started,
    )


def import_source(
    fmt: str, path: Path, url: str | None = None, batch_size: int = 500, progress: bool = True
) -> ImportReport:
    """Read `path` in format `fmt` (an allow-listed name) and write it to the database."""
    if fmt not in READERS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {sorted(READERS)}")
    parsed = READERS[fmt](Path(path))
    for problem in parsed.problems:
        log.warning("skipped %s", problem)
    return write_parsed(parsed, url=url, batch_size=batch_size, progress=progress)
