"""Refuse request bodies over BACKEND_MAX_BODY_BYTES with 413 before they are read into memory.

Seen without it: one 100 MB survey body took the server from 138 MB to 407 MB of memory. A pure
ASGI middleware refuses a declared Content-Length over the limit before the app runs, and counts
the bytes of a streamed (chunked) body as the app reads them, stopping at the limit. Starlette's
own RequestBodyLimitMiddleware (FastAPI's `max_body_size`) checks Content-Length only when a
route reads the body and answers plain text otherwise; clients here parse one JSON error body.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.errors import error_response

CODE = "body_too_large"


class BodyTooLarge(HTTPException):
    """Raised from `receive` (FastAPI re-raises HTTPExceptions met while it reads a body)."""

    code = CODE

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, _message(max_bytes), headers={"Connection": "close"})
        self.max_bytes = max_bytes


def _message(max_bytes: int) -> str:
    return f"The request body is larger than the limit of {max_bytes} bytes."


def _declared_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    return int(value) if value is not None and value.strip().isdigit() else None


class BodyLimit:
    """ASGI middleware: at most `max_bytes` of request body per request."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, CODE, _message(self.max_bytes), {"max_bytes": self.max_bytes},
                                  headers={"Connection": "close"})
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)  # nothing of the body has been read
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)
