"""Serve the Closet API with uvicorn: `python -m backend [--host H] [--port P] [--workers N]`.

Defaults come from settings (BACKEND_HOST, BACKEND_PORT, BACKEND_WORKERS); `make run` uses them.
"""

from __future__ import annotations

import argparse

import uvicorn

from db.settings import get_settings


def main(argv: list[str] | None = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.backend_host, help="default: %(default)s")
    parser.add_argument("--port", type=int, default=settings.backend_port, help="default: %(default)s")
    parser.add_argument("--workers", type=int, default=settings.backend_workers,
                        help="uvicorn worker processes (default: %(default)s)")
    parser.add_argument("--log-level", default="info", help="uvicorn log level (default: %(default)s)")
    args = parser.parse_args(argv)
    uvicorn.run("backend.main:app", host=args.host, port=args.port, workers=args.workers,
                log_level=args.log_level)


if __name__ == "__main__":
    main()
