"""Import time of both shared data sets on SQLite and a real MariaDB (first run and re-run).

    .venv/bin/python -m benchmarks.bench_import
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from db import migrate
from db.engine import get_engine
from db.importers.runner import import_source
from db.mariadb_server import MariaDBServer, MariaDBUnavailable

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
SOURCES = (("musinsa-snap", DATASETS / "musinsa_snap/outfits.json"), ("mango", DATASETS / "mango"))


def measure(engine_name: str, url: str) -> None:
    migrate.upgrade(url)
    for label in ("first import", "re-import"):
        for fmt, path in SOURCES:
            report = import_source(fmt, path, url, progress=False)
            print(f"{engine_name:8} {label:12} {fmt:13} {report.items:6d} items "
                  f"{report.outfits:5d} outfits {report.seconds:6.2f} s")
    get_engine(url).dispose()


def main() -> int:
    if not DATASETS.exists():
        print("../shared/datasets is absent: nothing to measure")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        measure("sqlite", f"sqlite:///{tmp}/bench.db")
    try:
        with MariaDBServer() as server:
            measure("mariadb", server.create_database())
    except MariaDBUnavailable as error:
        print(f"mariadb  skipped: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
