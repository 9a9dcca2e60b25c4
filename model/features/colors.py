"""Colour families by perceptual distance: sRGB -> CIELAB (D65), nearest family prototype.

Each family has one reference colour (``FAMILY_RGB``, what the UI and the garment generator show)
plus a few extra prototypes that cover its usual range (charcoal and light grey are both grey;
camel and sand are both beige). A colour belongs to the family of its nearest prototype in CIELAB
(CIE76 distance with a slightly down-weighted lightness, because shading on a photo changes lightness
far more than hue). Fixed RGB cubes are not used: they split one family into dozens of bins.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from model.features.vocab import COLOR_FAMILIES

RGB = tuple[int, int, int]

FAMILY_RGB: dict[str, RGB] = {
    "black": (28, 28, 30),
    "white": (246, 246, 244),
    "ivory": (238, 230, 206),
    "grey": (135, 135, 138),
    "beige": (206, 184, 148),
    "brown": (106, 72, 48),
    "khaki": (104, 102, 60),
    "green": (46, 125, 72),
    "navy": (30, 38, 72),
    "blue": (38, 84, 170),
    "sky_blue": (146, 192, 228),
    "red": (196, 32, 40),
    "burgundy": (112, 28, 46),
    "pink": (238, 152, 180),
    "purple": (114, 72, 152),
    "yellow": (236, 204, 62),
    "orange": (232, 122, 42),
}

#: Extra prototypes per family (the reference colour is always one of them).
_EXTRA_PROTOTYPES: dict[str, tuple[RGB, ...]] = {
    "black": ((10, 10, 10), (45, 45, 48), (38, 36, 34)),
    "white": ((255, 255, 255), (234, 236, 238)),
    "ivory": ((244, 238, 220), (232, 224, 200), (225, 215, 190)),
    "grey": ((80, 80, 84), (62, 63, 66), (170, 170, 172), (200, 200, 202), (110, 112, 116), (192, 192, 196)),
    "beige": ((222, 204, 172), (193, 154, 107), (180, 160, 130), (170, 150, 125), (215, 200, 180)),
    "brown": ((80, 52, 36), (135, 92, 58), (60, 42, 32), (150, 110, 80)),
    "khaki": ((85, 90, 50), (128, 128, 80), (120, 112, 70), (80, 82, 56), (128, 128, 0), (107, 120, 40)),
    "green": ((30, 90, 50), (80, 160, 100), (150, 200, 170), (20, 70, 45), (120, 150, 110), (156, 175, 136)),
    "navy": ((20, 26, 52), (40, 50, 90), (25, 35, 60)),
    "blue": ((20, 60, 150), (60, 110, 200), (70, 100, 150), (30, 70, 130), (50, 80, 120)),
    "sky_blue": ((173, 216, 240), (120, 170, 215), (190, 215, 235)),
    "red": ((220, 40, 40), (170, 25, 35), (210, 60, 60)),
    "burgundy": ((90, 20, 36), (128, 36, 56), (100, 30, 40), (128, 0, 0)),
    "pink": ((250, 190, 205), (220, 110, 150), (230, 80, 140), (245, 170, 190)),
    "purple": ((150, 120, 200), (90, 50, 120), (190, 170, 220), (128, 64, 128)),
    "yellow": ((250, 225, 90), (210, 170, 40), (245, 235, 140), (200, 160, 50)),
    "orange": ((245, 140, 60), (220, 100, 70), (200, 90, 40), (250, 160, 120)),
}

#: Lightness counts less than hue/chroma (shading), see the module docstring.
_L_WEIGHT = 0.7


def srgb_to_lab(rgb: np.ndarray | Sequence[float]) -> np.ndarray:
    """sRGB (0-255, shape (..., 3)) to CIELAB (D65 white), vectorised."""
    values = np.asarray(rgb, dtype=np.float64) / 255.0
    linear = np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)
    matrix = np.array([[0.4124564, 0.3575761, 0.1804375],
                       [0.2126729, 0.7151522, 0.0721750],
                       [0.0193339, 0.1191920, 0.9503041]])
    xyz = linear @ matrix.T / np.array([0.95047, 1.0, 1.08883])
    epsilon, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > epsilon, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    lightness = 116 * f[..., 1] - 16
    a = 500 * (f[..., 0] - f[..., 1])
    b = 200 * (f[..., 1] - f[..., 2])
    return np.stack([lightness, a, b], axis=-1)


def _prototypes() -> tuple[np.ndarray, np.ndarray]:
    rgbs: list[RGB] = []
    families: list[int] = []
    for index, family in enumerate(COLOR_FAMILIES):
        for rgb in (FAMILY_RGB[family], *_EXTRA_PROTOTYPES.get(family, ())):
            rgbs.append(rgb)
            families.append(index)
    return srgb_to_lab(np.array(rgbs)), np.array(families)


_PROTO_LAB, _PROTO_FAMILY = _prototypes()
_WEIGHTS = np.array([_L_WEIGHT, 1.0, 1.0])


def rgb_to_family_index(rgb: np.ndarray) -> np.ndarray:
    """Family index (into COLOR_FAMILIES) of each colour in an (N, 3) sRGB array."""
    lab = srgb_to_lab(np.asarray(rgb, dtype=np.float64).reshape(-1, 3))
    diff = (lab[:, None, :] - _PROTO_LAB[None, :, :]) * _WEIGHTS
    nearest = np.argmin((diff**2).sum(axis=-1), axis=1)
    return _PROTO_FAMILY[nearest]


def rgb_to_family(rgb: Sequence[int] | str) -> str:
    """The colour family of one sRGB colour given as (r, g, b) or '#rrggbb'."""
    if isinstance(rgb, str):
        rgb = hex_to_rgb(rgb)
    return COLOR_FAMILIES[int(rgb_to_family_index(np.array([rgb]))[0])]


def rgb_to_hex(rgb: Sequence[int]) -> str:
    """'#rrggbb' for an sRGB triple (values clipped to 0-255)."""
    r, g, b = (int(min(255, max(0, round(v)))) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def hex_to_rgb(value: str) -> RGB:
    """(r, g, b) for '#rrggbb'; ValueError for anything else."""
    text = value.strip().lstrip("#")
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {value!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def delta_e(rgb_a: Sequence[int], rgb_b: Sequence[int]) -> float:
    """CIE76 distance between two sRGB colours (for tests and diagnostics)."""
    lab = srgb_to_lab(np.array([rgb_a, rgb_b]))
    return float(np.linalg.norm(lab[0] - lab[1]))


def family_distances(rgb: Sequence[int]) -> dict[str, float]:
    """Weighted CIELAB distance from one colour to the nearest prototype of every family."""
    lab = srgb_to_lab(np.asarray(rgb, dtype=np.float64).reshape(1, 3))
    dist = np.sqrt((((lab[:, None, :] - _PROTO_LAB[None, :, :]) * _WEIGHTS) ** 2).sum(axis=-1))[0]
    best = np.full(len(COLOR_FAMILIES), np.inf)
    np.minimum.at(best, _PROTO_FAMILY, dist)
    return {family: float(best[i]) for i, family in enumerate(COLOR_FAMILIES)}


def family_prototypes(family: str) -> tuple[RGB, ...]:
    """The reference colour and the extra prototypes of one family (garment generator uses them)."""
    if family not in FAMILY_RGB:
        raise ValueError(f"unknown colour family {family!r}")
    return (FAMILY_RGB[family], *_EXTRA_PROTOTYPES.get(family, ()))
