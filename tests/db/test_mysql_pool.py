"""The MySQL pool pings a connection only when it sat idle, and still heals a dropped one (real MariaDB)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

import db.engine
from db.engine import get_engine
from db.mariadb_server import MariaDBServer

pytestmark = pytest.mark.mariadb

CONNECTION_ID = text("SELECT CONNECTION_ID()")


def connection_id(url: str) -> int:
    with get_engine(url).connect() as connection:
        return connection.execute(CONNECTION_ID).scalar_one()


def kill(url: str, victim: int) -> None:
    """End `victim`'s session from another, unpooled connection (as a server restart or timeout would)."""
    with get_engine(url).pool._creator() as other, other.cursor() as cursor:  # noqa: SLF001 - a raw DBAPI connection
        cursor.execute(f"KILL CONNECTION {int(victim)}")


@pytest.fixture()
def mysql_url(mariadb_server: MariaDBServer) -> Iterator[str]:
    url = mariadb_server.create_database()
    yield url
    get_engine(url).dispose()


def test_a_connection_dropped_while_idle_is_pinged_and_replaced(mysql_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    first = connection_id(mysql_url)
    kill(mysql_url, first)
    monkeypatch.setattr(db.engine, "PING_AFTER_IDLE_S", 0.0)  # every checkout counts as idle
    assert connection_id(mysql_url) != first  # the ping failed, the pool connected afresh, no error


def test_a_connection_back_moments_ago_is_not_pinged_and_a_drop_heals_after_one_error(
        mysql_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db.engine, "PING_AFTER_IDLE_S", 3600.0)  # never idle long enough to ping
    first = connection_id(mysql_url)
    assert connection_id(mysql_url) == first  # reused without a reconnect
    kill(mysql_url, first)
    with pytest.raises(OperationalError):
        connection_id(mysql_url)  # not pinged: the request fails, and the pool is invalidated
    assert connection_id(mysql_url) not in (first, None)
