"""Validate and serialise a response inside the route's worker thread.

FastAPI validates the return value of a synchronous route in a *second* thread-pool call. A
request whose route has finished but whose session (and pooled connection) is released only after
that call can then wait for a thread while every thread waits for a connection: under load the
pool times out (seen at 200 req/s). Routes therefore return a ready Response built here; the
session dependency (async) closes without needing a thread. `response_model` on the decorator
still documents the shape in OpenAPI.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel


def respond(model: type[BaseModel], content: Any, status_code: int = 200) -> Response:
    """`content` checked against `model` and written as JSON (the checks FastAPI would do)."""
    body = model.model_validate(content).model_dump_json()
    return Response(content=body, status_code=status_code, media_type="application/json")
