"""`Recommender.complete_outfits` latency on 50-garment closets (issue 12: p99 under 200 ms).

    .venv/bin/python -m benchmarks.bench_outfits [--closets 200] [--items 100000] [--skip-mango]
    .venv/bin/python -m benchmarks.bench_outfits --artifact DIR

Two catalogues: every Mango outfit (9,222 items, when ../shared/datasets is present) and the synthetic
catalogue of `benchmarks/synthetic.py` (100,000 items by default). Each closet holds 45 random catalogue
garments of every big class plus 5 described garments (`GarmentQuery`); k = 5 with shop items filled in.
`--artifact DIR` times an existing artifact directory instead (e.g. `data/artifacts` after `make run`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.bench_recommender import DATASETS, mango_training_set
from benchmarks.synthetic import synthetic_catalogue
from model.features.vocab import BIG_CLASSES, big_class_of
from model.recommender import GarmentQuery, Recommender
from model.recommender.artifact import save_artifact
from model.recommender.data import TrainingSet
from model.recommender.lightgcn import LightGCNConfig
from model.recommender.model import ClosetConfig, ClosetModel

# garments per big class in a 45-item closet, then 5 described garments
CLOSET_MIX = {"top": 14, "bottom": 10, "shoes": 7, "outerwear": 6, "bag": 4, "headwear": 4}
DESCRIBED = [GarmentQuery("top", "shirt", "white"), GarmentQuery("bottom", "slacks", "navy"),
             GarmentQuery("bottom", "dress", "black"), GarmentQuery("shoes", "sneakers", "white"),
             GarmentQuery("outerwear", "coat", "beige")]


def closets(rec: Recommender, n: int, seed: int = 0) -> list[list]:
    rng = np.random.default_rng(seed)
    members = {name: rec.class_members[c] for c, name in enumerate(rec.big_classes)}
    out = []
    for _ in range(n):
        closet: list = []
        for big, count in CLOSET_MIX.items():
            pool = members.get(big, np.zeros(0, dtype=np.int64))
            if len(pool):
                closet.extend(int(rec.item_ids[i]) for i in rng.choice(pool, size=min(count, len(pool)),
                                                                        replace=False))
        out.append(closet + DESCRIBED)
    return out


def as_in_the_app(data: TrainingSet) -> TrainingSet:
    """The evaluation's reader keeps Mango's raw categories and string ids; the app's catalogue has our big
    classes (from the subcategory), item.id integers, and only those classes recommendable."""
    cat = data.catalogue
    cat.item_ids = np.arange(1, len(cat) + 1, dtype=np.int64)
    cat.big_class = np.array([big_class_of(sub) or raw for sub, raw in zip(cat.subcategory, cat.big_class,
                                                                              strict=True)], dtype=object)
    cat.recommendable = np.isin(cat.big_class, BIG_CLASSES)
    return data


def fitted_recommender(data: TrainingSet, config: ClosetConfig) -> Recommender:
    model = ClosetModel(config).fit(data)
    with tempfile.TemporaryDirectory() as tmp:
        save_artifact(model, Path(tmp))
        return Recommender.load(Path(tmp))


def bench(label: str, rec: Recommender, n_closets: int) -> None:
    wardrobes = closets(rec, n_closets)
    rec.complete_outfits(wardrobes[0])  # warm-up
    timings, counts, shop = [], [], []
    for closet in wardrobes:
        begun = time.perf_counter()
        outfits = rec.complete_outfits(closet, k=5, fill_from_shop=True)
        timings.append(time.perf_counter() - begun)
        counts.append(len(outfits))
        shop.append(sum(len(o.shop_items) for o in outfits))
    bare = []
    for closet in wardrobes[:50]:
        begun = time.perf_counter()
        rec.complete_outfits(closet, k=5, fill_from_shop=False)
        bare.append(time.perf_counter() - begun)
    ms, bare_ms = np.array(timings) * 1000, np.array(bare) * 1000
    print(f"{label} ({len(rec)} items): complete_outfits on {len(wardrobes)} "
          f"closets of {len(wardrobes[0])} garments, k=5 with shop items: "
          f"p50 {np.percentile(ms, 50):.1f} ms, "
          f"p99 {np.percentile(ms, 99):.1f} ms, max {ms.max():.1f} ms; without shop items p99 "
          f"{np.percentile(bare_ms, 99):.1f} ms; {np.mean(counts):.1f} outfits and {np.mean(shop):.1f} shop "
          f"items per closet")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--closets", type=int, default=200)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--skip-mango", action="store_true")
    parser.add_argument("--artifact", type=Path, default=None, help="time this artifact directory only")
    args = parser.parse_args(argv)
    if args.artifact is not None:
        bench(str(args.artifact), Recommender.load(args.artifact), args.closets)
        return 0
    if args.skip_mango or not (DATASETS / "mango").exists():
        print("skipping the Mango catalogue")
    else:
        rec = fitted_recommender(as_in_the_app(mango_training_set()),
                                 ClosetConfig(gcn=LightGCNConfig(progress=False)))
        bench("Mango", rec, args.closets)
    if args.items > 0:
        config = ClosetConfig(gcn=LightGCNConfig(max_epochs=2, progress=False), validation_share=0.0)
        bench("synthetic", fitted_recommender(synthetic_catalogue(args.items, args.items // 2), config),
              args.closets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
