"""A throwaway MariaDB server on a private data directory and a free loopback port.

Tests and benchmarks use it so that "works on MySQL" is checked against a real server,
not assumed (recipe: ../shared/RECIPES.md).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pymysql
from tenacity import retry, retry_if_exception_type, stop_after_delay, wait_fixed

MARIADBD = "/usr/sbin/mariadbd"


class MariaDBUnavailable(RuntimeError):
    """MariaDB is not installed or would not start."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MariaDBServer:
    """Start with `start()`, make databases with `create_database()`, end with `stop()`."""

    user = "closet"
    password = "closet-test-pw"  # noqa: S105 - a throwaway server on loopback only

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="closet-mariadb-"))
        self.datadir = self.root / "data"
        self.rundir = self.root / "run"
        self.socket = self.rundir / "mysqld.sock"
        self.process: subprocess.Popen | None = None

    def _as_mysql_user(self) -> list[str]:
        if os.geteuid() == 0:
            shutil.chown(self.root, "mysql", "mysql")
            for path in (self.datadir, self.rundir):
                path.mkdir(exist_ok=True)
                shutil.chown(path, "mysql", "mysql")
            return ["--user=mysql"]
        self.datadir.mkdir(exist_ok=True)
        self.rundir.mkdir(exist_ok=True)
        return []

    def start(self) -> MariaDBServer:
        if not Path(MARIADBD).exists() or shutil.which("mariadb-install-db") is None:
            raise MariaDBUnavailable("mariadb-server is not installed (apt-get install mariadb-server)")
        user = self._as_mysql_user()
        subprocess.run(
            ["mariadb-install-db", *user, f"--datadir={self.datadir}",
             "--auth-root-authentication-method=socket", "--skip-test-db"],
            check=True, capture_output=True,
        )
        self.process = subprocess.Popen(
            [MARIADBD, "--no-defaults", *user, f"--datadir={self.datadir}",
             f"--socket={self.socket}", f"--pid-file={self.rundir / 'mysqld.pid'}",
             f"--port={self.port}", "--bind-address=127.0.0.1",
             "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
             "--innodb-flush-log-at-trx-commit=2", "--max-connections=500",
             f"--log-error={self.rundir / 'error.log'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._wait_ready()
        self._root_sql(
            f"CREATE USER '{self.user}'@'127.0.0.1' IDENTIFIED BY '{self.password}';"
            f"GRANT ALL ON *.* TO '{self.user}'@'127.0.0.1';"
        )
        return self

    @retry(stop=stop_after_delay(60), wait=wait_fixed(0.2), reraise=True,
           retry=retry_if_exception_type(pymysql.err.OperationalError))
    def _wait_ready(self) -> None:
        """Poll until the server accepts connections (bounded: 60 s)."""
        if self.process is not None and self.process.poll() is not None:
            log = (self.rundir / "error.log").read_text(errors="replace")[-2000:]
            raise MariaDBUnavailable(f"mariadbd exited: {log}")
        pymysql.connect(unix_socket=str(self.socket), user="root").close()

    def _root_sql(self, sql: str) -> None:
        connection = pymysql.connect(unix_socket=str(self.socket), user="root", autocommit=True)
        try:
            with connection.cursor() as cursor:
                for statement in filter(None, (s.strip() for s in sql.split(";"))):
                    cursor.execute(statement)
        finally:
            connection.close()

    def url(self, database: str) -> str:
        return (f"mysql+pymysql://{self.user}:{self.password}@127.0.0.1:{self.port}/"
                f"{database}?charset=utf8mb4")

    def create_database(self, name: str | None = None) -> str:
        """A new empty utf8mb4 database; returns its SQLAlchemy URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        self._root_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        return self.url(name)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> MariaDBServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
