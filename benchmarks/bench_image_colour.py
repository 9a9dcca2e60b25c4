"""Image colour throughput (images/s) with 1 and 2 worker processes, u2netp and the border fallback.

    .venv/bin/python -m benchmarks.bench_image_colour [--images 24] [--size 256]

Each run reads freshly generated 256 px garment PNGs without the cache; the 2-worker figure
includes starting the worker processes (spawned, each loads its own u2netp session).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from model.features.image_colour import extract_paths, find_u2netp
from model.features.vocab import COLOR_FAMILIES, SUBCATEGORIES
from model.synthetic_garments import BACKGROUNDS, garment_rgb, render_garment


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=24)
    parser.add_argument("--size", type=int, default=256)
    args = parser.parse_args()
    subs = [sub for subs in SUBCATEGORIES.values() for sub in subs]
    methods = [("border", False)] + ([("u2netp", True)] if find_u2netp() else [])
    with tempfile.TemporaryDirectory() as tmp:
        paths, expected = [], []
        for index in range(args.images):
            family = COLOR_FAMILIES[index % len(COLOR_FAMILIES)]
            image = render_garment(garment_rgb(family, index), subs[index % len(subs)],
                                   background=BACKGROUNDS[index % 3], seed=index, size=args.size)
            path = Path(tmp) / f"{index}.png"
            image.save(path)
            paths.append(path)
            expected.append(family)
        for method, use_u2netp in methods:
            for workers in (1, 2):
                started = time.perf_counter()
                results = extract_paths(paths, workers=workers, use_u2netp=use_u2netp)
                seconds = time.perf_counter() - started
                correct = sum(r.family == e for r, e in zip(results, expected, strict=True))
                print(f"{method:7s} workers={workers}: {len(paths)} images in {seconds:6.2f} s = "
                      f"{len(paths) / seconds:5.2f} images/s (correct family {correct}/{len(paths)})")
    if not find_u2netp():
        print("u2netp.onnx not installed: only the border fallback was measured (run `make setup`)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
