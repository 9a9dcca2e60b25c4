"""`python -m backend [--host H] [--port P] [--workers N]`: serve the API with uvicorn.

`python -m backend --build-index` brings the search index up to date and exits (useful after a
large import, so the first searches do not fall back to a scan).
"""

from __future__ import annotations

import argparse
import logging

import uvicorn

from db.settings import get_settings


def main(argv: list[str] | None = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.backend_host)
    parser.add_argument("--port", type=int, default=settings.backend_port)
    parser.add_argument("--workers", type=int, default=settings.backend_workers)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--build-index", action="store_true", help="update the search index and exit")
    args = parser.parse_args(argv)
    if args.build_index:
        from backend.services.search_index import sync_search_index
        from db.engine import get_engine

        logging.basicConfig(level=logging.INFO, format="%(message)s")
        result = sync_search_index(get_engine(), progress=True)
        print(f"search index: {result.indexed} items indexed")
        return
    uvicorn.run("backend.main:app", host=args.host, port=args.port, workers=args.workers,
                log_level=args.log_level)


if __name__ == "__main__":
    main()
