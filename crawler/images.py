"""Content-addressed image store: `ab/abcdef...png` under IMAGE_DIR, named by the SHA-256 of the bytes.

The same picture is stored once however many items use it, a re-download writes nothing new, and
a crash mid-write leaves no half file (write to a temporary name, then rename).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from PIL import Image, UnidentifiedImageError

FORMATS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp", "GIF": ".gif"}


class ImageRejected(ValueError):
    """The bytes are not a picture Closet can use."""


def store_image(root: Path, data: bytes) -> str:
    """Save `data` (a PNG/JPEG/WEBP/GIF) and return its path relative to `root`."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ImageRejected(f"not an image ({len(data)} bytes starting {data[:16]!r})") from None
    suffix = FORMATS.get(kind or "")
    if suffix is None:
        raise ImageRejected(f"unsupported image format {kind}")
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{digest[:2]}/{digest}{suffix}"
    target = root / relative
    if target.exists() and target.stat().st_size == len(data):
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return relative
