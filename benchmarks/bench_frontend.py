"""Render time of the matches page in headless Chromium: from navigation start to the match grids fully
drawn (at least 10 thumbnails loaded), median of N page loads. Target: under 1.5 s on demo data.

    .venv/bin/python -m benchmarks.bench_frontend             # seeded catalogue + a freshly trained model
    .venv/bin/python -m benchmarks.bench_frontend --configured --item 123   # the configured demo data

Starts the real backend and `streamlit run frontend/app.py` on free loopback ports. Each load opens
`/matches?item=<id>` in a new Streamlit session; the first load (model load, cold image cache) is
reported apart from the median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from db import migrate
from db.settings import get_settings
from tests.frontend import browser, stack
from tests.frontend.seed import seed_catalogue, train_model

MIN_IMAGES = 10
TARGET_S = 1.5

RENDERED_AT_JS = f"""
{browser.IMAGES_LOADED_JS.replace("return ", "const done = ", 1)}
return done ? performance.now() : null;
"""


def _measure(app_url: str, item_id: int, runs: int, timeout: float) -> list[float]:
    """Seconds from navigation start to the grids rendered, one value per page load."""
    timings = []
    with stack.chromium() as driver:
        for _ in range(runs):
            driver.get("about:blank")
            driver.get(f"{app_url}/matches?item={item_id}")
            deadline = time.monotonic() + timeout
            rendered = None
            while rendered is None:
                rendered = driver.execute_script(RENDERED_AT_JS, MIN_IMAGES)
                if time.monotonic() > deadline:
                    raise TimeoutError("the matches grid did not render: is a model trained?")
            timings.append(rendered / 1000.0)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--configured", action="store_true",
                        help="use DATABASE_URL / IMAGE_DIR / ARTIFACT_DIR as configured instead of seeding")
    parser.add_argument("--item", type=int, help="item to open (default: the seeded white shirt)")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="closet-bench-frontend-") as tmp:
        root = Path(tmp)
        if args.configured:
            settings = get_settings()
            url, image_dir, artifact_dir = settings.database_url, settings.image_dir, settings.artifact_dir
            if args.item is None:
                parser.error("--configured needs --item")
            item_id = args.item
        else:
            url, image_dir, artifact_dir = f"sqlite:///{root / 'closet.db'}", root / "images", root / "art"
            migrate.upgrade(url)
            image_dir.mkdir()
            artifact_dir.mkdir()
            item_id = args.item or seed_catalogue(url, image_dir).shirt_white_id
            if not train_model(url, artifact_dir):
                print("the recommender cannot train a model yet; nothing to measure", file=sys.stderr)
                return 2
        backend_port, app_port = stack.free_port(), stack.free_port()
        env = stack.app_env(url, image_dir, artifact_dir, f"http://127.0.0.1:{backend_port}", "bench")
        with stack.backend(env, backend_port, root / "backend.log") as _backend, \
                stack.streamlit_app(env, app_port, root / "streamlit.log") as app_url:
            timings = _measure(app_url, item_id, args.runs + 1, args.timeout)
    first, rest = timings[0], timings[1:]
    median = statistics.median(rest)
    print(f"matches page, {MIN_IMAGES}+ thumbnails loaded, headless Chromium ({len(rest)} loads)")
    print(f"  first load (model load, cold cache): {first:.3f} s")
    print(f"  median: {median:.3f} s   min: {min(rest):.3f} s   max: {max(rest):.3f} s")
    print(f"  target < {TARGET_S} s: {'met' if median < TARGET_S else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
