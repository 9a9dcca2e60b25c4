"""Starting a real MariaDB in tests: required in CI, a clean skip on a machine without it."""

from __future__ import annotations

import os

import pytest

from db.mariadb_server import MariaDBServer, MariaDBUnavailable


def start_or_skip(server: MariaDBServer) -> MariaDBServer:
    """Start `server`; fail in CI (MariaDB is installed there), skip elsewhere when it can't start."""
    try:
        return server.start()
    except MariaDBUnavailable as error:
        server.stop()
        if os.environ.get("CI"):
            pytest.fail(f"MariaDB is required in CI: {error}")
        pytest.skip(f"MariaDB not available: {error}")
