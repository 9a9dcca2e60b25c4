"""The garment's colour from its product photo: cut the garment out, take the dominant colour.

1. Decode with guards: missing, unreadable, tiny (< 16 px) or huge (> 25 MB, > 50 Mpx) images give
   no colour and a reason; nothing raises out of :meth:`ImageColourExtractor.from_path`.
2. Background removal with rembg's u2netp model, loaded from a local file (``$U2NET_HOME``, see
   :func:`find_u2netp`): no download is ever attempted. When the file is missing, a simpler
   removal is used and a warning is logged once: the background is modelled from the image border
   (bilinear between the four edges, so gradients are followed), and the garment is what cannot be
   reached from the border through pixels that look like that background. The darker seam line
   every product photo has keeps a white garment on a white background apart from it. If u2netp
   finds no garment (it can miss a white shirt on white), the simpler removal is tried as well.
3. colorgram on the garment pixels only (transparent pixels would count as black), each colour
   mapped to its CIELAB family, proportions summed per family; the largest family wins and its
   largest colour becomes ``dominant_rgb``.
Results are cached by the image's content hash (plus method and algorithm version).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import cache
from multiprocessing import get_context
from pathlib import Path

import colorgram
import numpy as np
from PIL import Image, UnidentifiedImageError
from scipy import ndimage

from model.features.colors import rgb_to_family, rgb_to_hex, srgb_to_lab

LOG = logging.getLogger(__name__)

ALGORITHM_VERSION = "1"
MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000
MIN_SIDE = 16
WORK_SIDE = 192  # images are reduced to this before segmentation: colour needs no detail
MIN_GARMENT_FRACTION = 0.01
_BACKGROUND_DISTANCE = 9.0  # CIELAB distance from the modelled background
_BACKGROUND_GRADIENT = 4.0  # local CIELAB change per pixel inside a background region


@dataclass(frozen=True)
class ImageColour:
    """Dominant garment colour of one image; both None with a reason when it cannot be read."""

    dominant_rgb: str | None
    family: str | None
    reason: str | None
    method: str


def find_u2netp() -> Path | None:
    """The local u2netp.onnx, looked up under $U2NET_HOME (default data/models) in rembg's layouts."""
    home = Path(os.environ.get("U2NET_HOME") or Path(__file__).resolve().parents[2] / "data" / "models")
    for candidate in (home / "u2netp" / "u2netp.onnx", home / "models" / "u2netp" / "u2netp.onnx",
                      home / "u2netp.onnx"):
        if candidate.is_file() and candidate.stat().st_size > 1_000_000:
            return candidate
    return None


@cache
def _warn_no_model_once() -> None:
    LOG.warning("u2netp model not found under $U2NET_HOME (run `make setup`); "
                "image colours use the simpler border-based background removal")


class U2netpRemover:
    """rembg's u2netp session built from a local model file (never downloads)."""

    def __init__(self, model_path: Path) -> None:
        import onnxruntime as ort
        from rembg.sessions.u2netp import U2netpSession

        class _LocalU2netp(U2netpSession):
            @classmethod
            def download_models(cls, *args: object, **kwargs: object) -> str:
                return str(model_path)

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = _LocalU2netp("u2netp", options)

    def mask(self, image: Image.Image) -> np.ndarray:
        alpha = self._session.predict(image)[0]
        return np.asarray(alpha.convert("L").resize(image.size), dtype=np.uint8) > 127


def border_mask(image: Image.Image) -> np.ndarray:
    """Fallback garment mask: what cannot be reached from the border through background-like pixels."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.float64)
    raw_lab = srgb_to_lab(rgb)
    lab = ndimage.uniform_filter(raw_lab, size=(3, 3, 1))
    height, width = lab.shape[:2]
    edge = max(2, min(height, width) // 48)
    left = np.median(lab[:, :edge], axis=1)
    right = np.median(lab[:, -edge:], axis=1)
    top = np.median(lab[:edge, :], axis=0)
    bottom = np.median(lab[-edge:, :], axis=0)
    xs = np.linspace(0.0, 1.0, width)[None, :, None]
    ys = np.linspace(0.0, 1.0, height)[:, None, None]
    background = ((left[:, None, :] * (1 - xs) + right[:, None, :] * xs)
                  + (top[None, :, :] * (1 - ys) + bottom[None, :, :] * ys)) / 2
    distance = np.linalg.norm(lab - background, axis=-1)
    gradient = np.zeros((height, width))
    for channel in range(3):
        gradient = np.maximum(gradient, np.hypot(ndimage.sobel(lab[..., channel], axis=0),
                                                 ndimage.sobel(lab[..., channel], axis=1)) / 8)
    # texture: a linen or paper background is grainy where a garment is smooth (and vice versa)
    lightness = raw_lab[..., 0]
    local_mean = ndimage.uniform_filter(lightness, size=5)
    local_std = np.sqrt(np.maximum(ndimage.uniform_filter(lightness**2, size=5) - local_mean**2, 0.0))
    border_std = float(np.median(np.concatenate([local_std[:edge].ravel(), local_std[-edge:].ravel(),
                                                 local_std[:, :edge].ravel(), local_std[:, -edge:].ravel()])))
    if border_std >= 0.8:
        texture_like = (local_std > border_std / 2.2) & (local_std < border_std * 2.2 + 1.0)
    else:
        texture_like = local_std < border_std + 1.0
    background_like = (distance < _BACKGROUND_DISTANCE) & (gradient < _BACKGROUND_GRADIENT) & texture_like
    labels, _count = ndimage.label(background_like)
    border_labels = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    reached = np.isin(labels, border_labels[border_labels > 0])
    garment = ndimage.binary_fill_holes(~reached)
    garment = ndimage.binary_opening(garment, iterations=2)
    labels, count = ndimage.label(garment)
    if count == 0:
        return garment
    sizes = ndimage.sum(garment, labels, index=np.arange(1, count + 1))
    return labels == (int(np.argmax(sizes)) + 1)


def dominant_colour(pixels: np.ndarray) -> tuple[tuple[int, int, int], str]:
    """(rgb, family) of an (N, 3) uint8 pixel array: colorgram colours summed per CIELAB family."""
    strip = Image.fromarray(pixels.reshape(-1, 1, 3).astype(np.uint8), "RGB")
    colours = colorgram.extract(strip, 8)
    by_family: dict[str, float] = {}
    best_in_family: dict[str, tuple[float, tuple[int, int, int]]] = {}
    for colour in colours:
        rgb = (colour.rgb.r, colour.rgb.g, colour.rgb.b)
        family = rgb_to_family(rgb)
        by_family[family] = by_family.get(family, 0.0) + colour.proportion
        if colour.proportion > best_in_family.get(family, (-1.0, rgb))[0]:
            best_in_family[family] = (colour.proportion, rgb)
    family = max(sorted(by_family), key=lambda name: by_family[name])
    return best_in_family[family][1], family


class ImageColourExtractor:
    """Reads garment colours from images, with a content-hash cache on disk (optional)."""

    def __init__(self, cache_dir: Path | None = None, *, use_u2netp: bool | None = None) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir else None
        model = find_u2netp() if use_u2netp in (None, True) else None
        if use_u2netp and model is None:
            raise FileNotFoundError("u2netp.onnx not found under $U2NET_HOME")
        if model is None and use_u2netp is None:
            _warn_no_model_once()
        self._model_path = model
        self._remover: U2netpRemover | None = None
        self.method = "u2netp" if model else "border"

    # -- cache -------------------------------------------------------------------------------------
    def _cache_path(self, digest: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / digest[:2] / f"{digest}.{self.method}.v{ALGORITHM_VERSION}.json"

    def _cached(self, digest: str) -> ImageColour | None:
        path = self._cache_path(digest)
        if path is None or not path.is_file():
            return None
        try:
            return ImageColour(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def _store(self, digest: str, result: ImageColour) -> None:
        path = self._cache_path(digest)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(asdict(result)), encoding="utf-8")
            tmp.replace(path)
        except OSError as error:
            LOG.warning("could not cache image colour: %s", error)

    # -- extraction --------------------------------------------------------------------------------
    def _mask(self, image: Image.Image) -> tuple[np.ndarray, str]:
        if self._model_path is not None:
            if self._remover is None:
                self._remover = U2netpRemover(self._model_path)
            mask = self._remover.mask(image)
            if mask.mean() >= MIN_GARMENT_FRACTION:
                return mask, "u2netp"
        return border_mask(image), "border"

    def _fail(self, reason: str) -> ImageColour:
        LOG.info("no image colour: %s", reason)
        return ImageColour(None, None, reason, self.method)

    def from_bytes(self, data: bytes) -> ImageColour:
        """Colour of an encoded image; bad input gives a null colour with the reason."""
        if not data:
            return self._fail("empty image file")
        if len(data) > MAX_BYTES:
            return self._fail(f"image too large ({len(data)} bytes)")
        digest = hashlib.sha256(data).hexdigest()
        cached = self._cached(digest)
        if cached is not None:
            return cached
        result = self._compute(data)
        self._store(digest, result)
        return result

    def _compute(self, data: bytes) -> ImageColour:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return self._fail(f"image too large ({width}x{height})")
                if min(width, height) < MIN_SIDE:
                    return self._fail(f"image too small ({width}x{height})")
                image.draft("RGB", (WORK_SIDE * 2, WORK_SIDE * 2))
                image = _flatten(image)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
                Image.DecompressionBombWarning) as error:
            return self._fail(f"unreadable image: {type(error).__name__}")
        image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BILINEAR)
        try:
            mask, method = self._mask(image)
        except Exception as error:  # noqa: BLE001 - a model failure must not stop a batch
            LOG.warning("background removal failed (%s); using the border method", error)
            mask, method = border_mask(image), "border"
        mask = ndimage.binary_erosion(mask, iterations=1) if mask.sum() > 400 else mask
        if mask.mean() < MIN_GARMENT_FRACTION:
            return ImageColour(None, None, "no garment found in the image", method)
        pixels = np.asarray(image, dtype=np.uint8)[mask]
        rgb, family = dominant_colour(pixels)
        return ImageColour(rgb_to_hex(rgb), family, None, method)

    def from_path(self, path: Path | str | None) -> ImageColour:
        """Colour of an image file; missing or unreadable files give a null colour with the reason."""
        if path is None:
            return self._fail("no image")
        try:
            file = Path(path)
            if not file.is_file():
                return self._fail("image file missing")
            if file.stat().st_size > MAX_BYTES:
                return self._fail(f"image too large ({file.stat().st_size} bytes)")
            data = file.read_bytes()
        except OSError as error:
            return self._fail(f"unreadable image file: {error.strerror or error}")
        return self.from_bytes(data)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB image; transparent pixels become white (product photos are shot on white)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return image.convert("RGB")


# -- several worker processes --------------------------------------------------------------------------
_WORKER: ImageColourExtractor | None = None


def _init_worker(cache_dir: str | None, use_u2netp: bool | None) -> None:
    global _WORKER
    _WORKER = ImageColourExtractor(Path(cache_dir) if cache_dir else None, use_u2netp=use_u2netp)


def _work(path: str | None) -> ImageColour:
    assert _WORKER is not None
    return _WORKER.from_path(path)


def extract_paths(paths: Sequence[Path | str | None], *, workers: int = 1, cache_dir: Path | None = None,
                  use_u2netp: bool | None = None) -> list[ImageColour]:
    """Colours of many images, in order, with `workers` processes (1: in this process)."""
    if workers <= 1 or len(paths) < 2:
        extractor = ImageColourExtractor(cache_dir, use_u2netp=use_u2netp)
        return [extractor.from_path(path) for path in paths]
    context = get_context("spawn")  # onnxruntime sessions must not be forked
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(str(cache_dir) if cache_dir else None, use_u2netp)) as pool:
        return list(pool.map(_work, [str(p) if p is not None else None for p in paths], chunksize=4))

