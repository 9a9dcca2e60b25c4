"""Request bodies over the limit answer 413 with the JSON error body, before they are read."""

from __future__ import annotations

import json
import select
import socket
from collections.abc import Iterator
from pathlib import Path

from tests.backend.factories import add_items, build_client
from tests.backend.server import running_backend

LIMIT = 2000


def _survey(item_id: int, comment_chars: int) -> dict:
    return {"session_id": "s", "target_kind": "item", "item_id": item_id, "rating": 4,
            "comment": "x" * comment_chars}


def _assert_413(response) -> None:  # noqa: ANN001
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "body_too_large"


def test_declared_or_streamed_body_over_the_limit_is_413(sqlite_url: str, tmp_path: Path) -> None:
    [item] = add_items(sqlite_url, {"name": "셔츠"})
    with build_client(sqlite_url, tmp_path, backend_max_body_bytes=LIMIT) as client:
        assert client.post("/api/v1/survey", json=_survey(item, 1500)).status_code == 201
        _assert_413(client.post("/api/v1/survey", json=_survey(item, 1990)))
        body = json.dumps(_survey(item, 1990)).encode()

        def chunks() -> Iterator[bytes]:  # no Content-Length: only counting the stream can stop it
            yield from (body[i:i + 500] for i in range(0, len(body), 500))

        json_type = {"content-type": "application/json"}
        _assert_413(client.post("/api/v1/survey", content=chunks(), headers=json_type))
        _assert_413(client.get("/api/v1/health", headers={"content-length": str(LIMIT + 1)}))
        assert client.post("/api/v1/events", json={"events": []}).status_code == 202


def _http_head(port: int, extra: str) -> bytes:
    return (f"POST /api/v1/survey HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"{extra}\r\n").encode()


def _read_response(sock: socket.socket) -> tuple[int, dict]:
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body[body.index(b"{"):body.rindex(b"}") + 1])


def test_real_server_refuses_100_mb_without_reading_it(sqlite_url: str, tmp_path: Path) -> None:
    """Default limit (1 MiB) on a real uvicorn: a declared 100 MB body is refused before one byte of
    it is sent, and a chunked 100 MB body is cut off after about the limit."""
    with running_backend(sqlite_url, tmp_path) as base:
        port = int(base.split(":")[2].split("/")[0])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(_http_head(port, "Content-Length: 100000000\r\n"))
            status, body = _read_response(sock)  # no body byte was sent at all
        assert (status, body["error"]["code"]) == (413, "body_too_large")

        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(_http_head(port, "Transfer-Encoding: chunked\r\n"))
            piece = b"x" * 65536
            chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            sent = 0
            try:
                while sent < 100_000_000 and not select.select([sock], [], [], 0)[0]:
                    sock.sendall(chunk)
                    sent += len(piece)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server closed the connection after its answer
            status, body = _read_response(sock)
        assert (status, body["error"]["code"]) == (413, "body_too_large")
        assert sent < 16 * 1_048_576, f"the server read {sent} bytes before answering"
