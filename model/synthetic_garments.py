"""Generated garment pictures of known colour: test data for image colour, and the demo shop's photos.

A garment is a flat silhouette roughly shaped like its subcategory (a tee, trousers, a shoe, a bag,
a cap ...), filled with its true colour under light shading (a soft top-to-bottom gradient and a few
folds), with a slightly darker seam line and a soft drop shadow, on a solid, gradient or lightly
textured background. Everything is deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from model.features.colors import RGB, delta_e, family_distances, family_prototypes

BACKGROUNDS = ("solid", "gradient", "texture")

# Silhouettes as polygons in a unit square (x right, y down).
_TEE = [(0.30, 0.12), (0.42, 0.10), (0.50, 0.16), (0.58, 0.10), (0.70, 0.12), (0.90, 0.30), (0.80, 0.40),
        (0.72, 0.33), (0.72, 0.88), (0.28, 0.88), (0.28, 0.33), (0.20, 0.40), (0.10, 0.30)]
_LONG_TOP = [(0.30, 0.10), (0.42, 0.08), (0.50, 0.14), (0.58, 0.08), (0.70, 0.10), (0.84, 0.30),
             (0.92, 0.80), (0.82, 0.82), (0.72, 0.40), (0.72, 0.88), (0.28, 0.88), (0.28, 0.40),
             (0.18, 0.82), (0.08, 0.80), (0.16, 0.30)]
_COAT = [(0.32, 0.06), (0.44, 0.05), (0.50, 0.14), (0.56, 0.05), (0.68, 0.06), (0.82, 0.24), (0.90, 0.78),
         (0.80, 0.80), (0.74, 0.42), (0.76, 0.95), (0.24, 0.95), (0.26, 0.42), (0.20, 0.80), (0.10, 0.78),
         (0.18, 0.24)]
_VEST = [(0.32, 0.10), (0.44, 0.10), (0.50, 0.30), (0.56, 0.10), (0.68, 0.10), (0.72, 0.30), (0.74, 0.88),
         (0.26, 0.88), (0.28, 0.30)]
_SLEEVELESS = [(0.34, 0.10), (0.42, 0.10), (0.50, 0.20), (0.58, 0.10), (0.66, 0.10), (0.70, 0.32),
               (0.72, 0.88), (0.28, 0.88), (0.30, 0.32)]
_PANTS = [(0.28, 0.06), (0.72, 0.06), (0.78, 0.94), (0.58, 0.94), (0.50, 0.36), (0.42, 0.94),
          (0.22, 0.94)]
_SHORTS = [(0.24, 0.20), (0.76, 0.20), (0.84, 0.74), (0.56, 0.76), (0.50, 0.46), (0.44, 0.76),
           (0.16, 0.74)]
_SKIRT = [(0.34, 0.14), (0.66, 0.14), (0.84, 0.86), (0.16, 0.86)]
_DRESS = [(0.38, 0.06), (0.46, 0.06), (0.50, 0.12), (0.54, 0.06), (0.62, 0.06), (0.64, 0.34), (0.60, 0.44),
          (0.82, 0.94), (0.18, 0.94), (0.40, 0.44), (0.36, 0.34)]
_SHOE = [(0.10, 0.58), (0.14, 0.40), (0.36, 0.38), (0.50, 0.48), (0.80, 0.56), (0.90, 0.64), (0.90, 0.72),
         (0.10, 0.72)]
_BOOT = [(0.20, 0.16), (0.46, 0.16), (0.48, 0.52), (0.80, 0.60), (0.88, 0.70), (0.88, 0.80), (0.18, 0.80)]
_SANDAL = [(0.10, 0.62), (0.30, 0.50), (0.60, 0.50), (0.90, 0.62), (0.90, 0.72), (0.10, 0.72)]
_BACKPACK = [(0.28, 0.22), (0.36, 0.12), (0.64, 0.12), (0.72, 0.22), (0.76, 0.88), (0.24, 0.88)]
_TOTE = [(0.18, 0.36), (0.82, 0.36), (0.76, 0.88), (0.24, 0.88)]
_CROSSBODY = [(0.26, 0.46), (0.74, 0.46), (0.74, 0.80), (0.26, 0.80)]
_CAP = [(0.18, 0.62), (0.22, 0.44), (0.34, 0.30), (0.50, 0.26), (0.66, 0.30), (0.76, 0.44), (0.78, 0.58),
        (0.94, 0.66), (0.92, 0.72), (0.18, 0.70)]
_BEANIE = [(0.22, 0.74), (0.22, 0.48), (0.30, 0.30), (0.50, 0.20), (0.70, 0.30), (0.78, 0.48), (0.78, 0.74)]
_BUCKET = [(0.32, 0.30), (0.68, 0.30), (0.72, 0.56), (0.90, 0.70), (0.10, 0.70), (0.28, 0.56)]

_SHAPES: dict[str, list[tuple[float, float]]] = {
    "tee_short": _TEE, "polo": _TEE, "top_other": _TEE, "sleeveless": _SLEEVELESS,
    "tee_long": _LONG_TOP, "shirt": _LONG_TOP, "sweatshirt": _LONG_TOP, "hoodie": _LONG_TOP,
    "knit": _LONG_TOP, "cardigan": _LONG_TOP, "hood_zipup": _LONG_TOP, "track_jacket": _LONG_TOP,
    "fleece": _LONG_TOP, "blouson": _LONG_TOP, "leather_jacket": _LONG_TOP, "trucker_jacket": _LONG_TOP,
    "windbreaker": _LONG_TOP, "blazer": _COAT, "coat": _COAT, "padding": _COAT, "fur_mustang": _COAT,
    "outer_other": _COAT, "vest": _VEST,
    "denim_pants": _PANTS, "cotton_pants": _PANTS, "slacks": _PANTS, "training_pants": _PANTS,
    "leggings": _PANTS, "bottom_other": _PANTS, "shorts": _SHORTS, "skirt": _SKIRT, "dress": _DRESS,
    "sneakers": _SHOE, "dress_shoes": _SHOE, "shoes_other": _SHOE, "boots": _BOOT, "sandals": _SANDAL,
    "backpack": _BACKPACK, "shoulder_tote": _TOTE, "bag_other": _TOTE, "crossbody": _CROSSBODY,
    "cap": _CAP, "hat_other": _CAP, "beanie": _BEANIE, "bucket_hat": _BUCKET,
}
_STRAPS = {"shoulder_tote": ((0.34, 0.12, 0.66, 0.56), 0.035), "bag_other": ((0.34, 0.12, 0.66, 0.56), 0.035),
           "crossbody": ((0.20, 0.02, 0.80, 0.70), 0.02)}
_SUPERSAMPLE = 2


def garment_rgb(family: str, seed: int | str = 0) -> RGB:
    """A realistic shade of one colour family: a prototype of the family, jittered, kept inside it.

    The shade keeps a margin to every other family so light shading cannot move it across a border.
    """
    rng = random.Random(f"garment_rgb:{family}:{seed}")
    prototypes = family_prototypes(family)
    for _ in range(200):
        base = prototypes[rng.randrange(len(prototypes))]
        rgb = tuple(int(min(255, max(0, c + rng.randint(-12, 12)))) for c in base)
        distances = family_distances(rgb)
        own = distances[family]
        if all(other - own > 6.0 for name, other in distances.items() if name != family):
            return rgb  # type: ignore[return-value]
    return prototypes[0]


def _background(rng: random.Random, kind: str, garment: RGB, size: int) -> np.ndarray:
    light = sum(garment) / 3 > 200
    if kind not in BACKGROUNDS:
        raise ValueError(f"background must be one of {BACKGROUNDS}, got {kind!r}")
    palette: list[RGB] = [(255, 255, 255), (240, 240, 240), (226, 226, 228), (246, 243, 236),
                          (232, 236, 242), (242, 232, 232), (200, 200, 202)]
    if light:  # white and ivory garments are shot on white or grey backgrounds; keep those in play
        palette = [(255, 255, 255), (236, 236, 236), (214, 214, 216), (190, 190, 192)]
    candidates = [c for c in palette if delta_e(c, garment) > 3.0] or [(128, 128, 128)]
    first = np.array(rng.choice(candidates), dtype=np.float64)
    ys = np.linspace(0.0, 1.0, size)[:, None, None]
    if kind == "solid":
        return np.broadcast_to(first, (size, size, 3)).copy()
    if kind == "gradient":
        second = np.array(rng.choice(candidates), dtype=np.float64)
        if np.allclose(first, second):
            second = np.clip(first - 24, 0, 255)
        angle = rng.random() * np.pi
        xs = np.linspace(0.0, 1.0, size)[None, :, None]
        t = (np.cos(angle) * xs + np.sin(angle) * ys) / (abs(np.cos(angle)) + abs(np.sin(angle)))
        t = (t - t.min()) / max(float(t.max() - t.min()), 1e-9)
        return first * (1 - t) + second * t
    noise_rng = np.random.default_rng(rng.randrange(2**32))
    noise = noise_rng.normal(0.0, 5.0, (size, size, 1))
    weave = 3.0 * np.sin(np.arange(size)[None, :, None] * rng.uniform(0.6, 1.4)) * np.sin(ys * size * 0.9)
    return np.clip(first + noise + weave, 0, 255)


def _shading(rng: random.Random, size: int) -> np.ndarray:
    ys = np.linspace(0.0, 1.0, size)[:, None]
    xs = np.linspace(0.0, 1.0, size)[None, :]
    field = 1.05 - 0.10 * ys + 0.0 * xs
    for _ in range(rng.randint(1, 3)):  # soft vertical folds
        centre, width = rng.uniform(0.3, 0.7), rng.uniform(0.02, 0.05)
        field = field - 0.06 * np.exp(-((xs - centre) ** 2) / (2 * width**2))
    return field[:, :, None]


def render_garment(rgb: Sequence[int], subcategory: str, *, background: str = "solid", seed: int | str = 0,
                   size: int = 256) -> Image.Image:
    """An RGB picture of one garment of colour `rgb` shaped like `subcategory` (unknown: a tee)."""
    if size < 16:
        raise ValueError("size must be at least 16 pixels")
    rng = random.Random(f"render:{tuple(rgb)}:{subcategory}:{background}:{seed}")
    garment = tuple(int(c) for c in rgb)
    big = size * _SUPERSAMPLE
    scale = rng.uniform(0.82, 0.96)
    offset = ((1 - scale) / 2 + rng.uniform(-0.03, 0.03), (1 - scale) / 2 + rng.uniform(-0.03, 0.03))
    points = [((offset[0] + x * scale) * big, (offset[1] + y * scale) * big)
              for x, y in _SHAPES.get(subcategory, _TEE)]
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    draw.polygon(points, fill=255)
    if subcategory in _STRAPS:
        (x0, y0, x1, y1), width = _STRAPS[subcategory]
        box = [(offset[0] + x0 * scale) * big, (offset[1] + y0 * scale) * big,
               (offset[0] + x1 * scale) * big, (offset[1] + y1 * scale) * big]
        draw.arc(box, 180, 360, fill=255, width=max(2, int(width * big)))
    mask = mask.resize((size, size), Image.Resampling.LANCZOS)
    seam = mask.filter(ImageFilter.MaxFilter(3))
    seam_alpha = (np.asarray(seam, dtype=np.float64) - np.asarray(mask.filter(ImageFilter.MinFilter(3)),
                                                                  dtype=np.float64)) / 255.0
    alpha = np.asarray(mask, dtype=np.float64)[:, :, None] / 255.0

    canvas = _background(rng, background, garment, size)
    shadow = np.asarray(mask.filter(ImageFilter.GaussianBlur(size / 40)), dtype=np.float64) / 255.0
    shift = max(1, size // 64)
    shadow = np.roll(np.roll(shadow, shift, axis=0), shift, axis=1)[:, :, None]
    canvas = canvas * (1 - 0.18 * shadow)

    body = np.array(garment, dtype=np.float64)[None, None, :] * _shading(rng, size)
    body = body + np.random.default_rng(rng.randrange(2**32)).normal(0.0, 1.5, (size, size, 1))
    seam_colour = np.array(garment, dtype=np.float64) * 0.78
    body = body * (1 - 0.6 * seam_alpha[:, :, None]) + seam_colour * 0.6 * seam_alpha[:, :, None]
    out = canvas * (1 - alpha) + body * alpha
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")


def render_collage(images: Sequence[Image.Image], *, cell: int = 256,
                   background: RGB = (250, 250, 250)) -> Image.Image:
    """An outfit picture: the garments side by side in a grid (two columns), on a light canvas."""
    if not images:
        raise ValueError("a collage needs at least one image")
    columns = 1 if len(images) == 1 else 2
    rows = (len(images) + columns - 1) // columns
    padding = cell // 16
    canvas = Image.new("RGB", (columns * cell + (columns + 1) * padding, rows * cell + (rows + 1) * padding),
                       background)
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        tile = image.convert("RGB")
        tile.thumbnail((cell, cell), Image.Resampling.LANCZOS)
        x = padding + column * (cell + padding) + (cell - tile.width) // 2
        y = padding + row * (cell + padding) + (cell - tile.height) // 2
        canvas.paste(tile, (x, y))
    return canvas
