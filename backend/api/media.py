"""Local images under /media: read-only, and every failure in the API's JSON error body.

Starlette's StaticFiles answers 500 when its folder is missing and plain text for a bad Range
header; a shop whose image folder is not there yet (IMAGE_DIR unset or not built) should just have
no images (404), and clients parse one error shape only.
"""

from __future__ import annotations

import os

from starlette.datastructures import Headers
from starlette.responses import FileResponse, MalformedRangeHeader, RangeNotSatisfiable, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

from backend.errors import ApiError


class MediaFileResponse(FileResponse):
    """A file response whose Range errors are ApiErrors (so the JSON error handler answers)."""

    @classmethod
    def _parse_range_header(cls, http_range: str, file_size: int) -> list[tuple[int, int]]:
        try:
            return super()._parse_range_header(http_range, file_size)
        except MalformedRangeHeader as error:
            raise ApiError(400, "invalid_range", f"The Range header is not valid: {error.content}") from error
        except RangeNotSatisfiable as error:
            raise ApiError(416, "range_not_satisfiable", "The Range header asks for bytes past the end.",
                           headers={"Content-Range": f"bytes */{error.max_size}"}) from error


class MediaFiles(StaticFiles):
    """StaticFiles that treats a missing folder as 'no such image' (404) instead of a 500."""

    async def check_config(self) -> None:
        """Nothing to check: a missing folder means every image is missing (warned at start-up)."""

    def file_response(self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = MediaFileResponse(full_path, status_code=status_code, stat_result=stat_result)
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response
