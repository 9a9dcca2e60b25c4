"""Name parsing and feature-build throughput.

    .venv/bin/python -m benchmarks.bench_features [--items 10000] [--mariadb]

Targets: parse 100,000 names in < 5 s and build features for 10,000 items without images in < 30 s
(issue 3); build features for 1,000,000 new items without images in < 5 minutes (issue 15,
`--items 1000000`). Names are the real MUSINSA snap names (cycled) when ../shared/datasets is present,
otherwise generated ones.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from db import migrate
from db.engine import get_engine, session_scope
from db.importers.records import ItemRecord, OutfitRecord
from db.importers.writer import upsert_items, upsert_outfits
from model.features.names import parse_name
from model.features.pipeline import build_features

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


def sample_names() -> list[tuple[str, str]]:
    path = DATASETS / "musinsa_snap" / "outfits.json"
    if path.is_file():
        outfits = json.loads(path.read_text(encoding="utf-8"))
        return [(item["category"], item["name"]) for outfit in outfits for item in outfit["items"]]
    rng = random.Random(0)
    words = ["오버핏", "와이드", "데님 팬츠", "반팔 티셔츠", "후드 집업", "코트", "[블랙]", "(NAVY)",
             "_BEIGE",
             "3colors"]
    return [(rng.choice(["상의", "하의", "아우터"]), " ".join(rng.sample(words, 4))) for _ in range(4000)]


def bench_parse(names: list[tuple[str, str]], count: int = 100_000) -> None:
    chosen = [names[i % len(names)] for i in range(count)]
    parse_name(*chosen[0])  # compile the regexes outside the timing
    started, cpu = time.perf_counter(), time.process_time()
    for category, name in chosen:
        parse_name(category, name)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"parse_name: {count} names in {seconds:.2f} s wall, {cpu:.2f} s CPU "
          f"({count / seconds:,.0f} names/s wall)")


def bench_build(url: str, label: str, names: list[tuple[str, str]], count: int = 10_000) -> None:
    migrate.upgrade(url)
    items = [ItemRecord("musinsa", str(i), names[i % len(names)][1], big_class_raw=names[i % len(names)][0])
             for i in range(count)]
    rng = random.Random(1)
    outfits = [OutfitRecord("musinsa_snap", f"o{i}", [(("musinsa", str(j)), p + 1) for p, j in
                                                       enumerate(rng.sample(range(count), 3))])
               for i in range(count // 3)]
    with session_scope(url) as session:
        ids = upsert_items(session, items)
    with session_scope(url) as session:
        upsert_outfits(session, outfits, ids)
    with tempfile.TemporaryDirectory() as artifacts:
        for run in ("first build", "re-run"):
            started, cpu = time.perf_counter(), time.process_time()
            report = build_features(url, images=False, artifact_dir=Path(artifacts))
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(f"build_features [{label}] {run:11s}: {report.items} items, {report.changed} changed, "
                  f"{report.clusters} clusters, {report.outfits} outfits in {seconds:.2f} s wall "
                  f"({cpu:.2f} s CPU in this process)")
    get_engine(url).dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mariadb", action="store_true", help="also measure the build on MariaDB")
    parser.add_argument("--items", type=int, default=10_000, help="items in the feature build")
    args = parser.parse_args()
    names = sample_names()
    bench_parse(names)
    with tempfile.TemporaryDirectory() as tmp:
        bench_build(f"sqlite:///{tmp}/bench.db", "sqlite", names, args.items)
    if args.mariadb:
        from db.mariadb_server import MariaDBServer

        with MariaDBServer() as server:
            bench_build(server.create_database(), "mariadb", names, args.items)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
