"""The garment generator keeps its promises: true colour, each family, deterministic pictures."""

from __future__ import annotations

import numpy as np
import pytest

from model.features.colors import FAMILY_RGB, rgb_to_family
from model.features.vocab import ALL_SUBCATEGORIES, COLOR_FAMILIES
from model.synthetic_garments import BACKGROUNDS, garment_rgb, render_collage, render_garment


@pytest.mark.parametrize("family", COLOR_FAMILIES)
def test_garment_rgb_stays_in_its_family(family: str) -> None:
    shades = {garment_rgb(family, seed) for seed in range(25)}
    assert len(shades) > 5  # realistic variety, not one swatch
    assert all(rgb_to_family(rgb) == family for rgb in shades)


def test_reference_colours_map_to_their_family() -> None:
    assert all(rgb_to_family(rgb) == family for family, rgb in FAMILY_RGB.items())


def test_render_is_deterministic_and_sized() -> None:
    first = render_garment((30, 38, 72), "slacks", background="gradient", seed=7, size=96)
    second = render_garment((30, 38, 72), "slacks", background="gradient", seed=7, size=96)
    assert first.size == (96, 96) and first.mode == "RGB"
    assert np.array_equal(np.asarray(first), np.asarray(second))
    other = render_garment((30, 38, 72), "slacks", background="gradient", seed=8, size=96)
    assert not np.array_equal(np.asarray(first), np.asarray(other))


def test_every_subcategory_and_background_renders_the_garment_colour() -> None:
    for index, subcategory in enumerate(sorted(ALL_SUBCATEGORIES)):
        image = render_garment((196, 32, 40), subcategory, background=BACKGROUNDS[index % 3], seed=index,
                               size=64)
        pixels = np.asarray(image).reshape(-1, 3).astype(int)
        red = (np.abs(pixels - [196, 32, 40]).sum(axis=1) < 60).mean()
        assert 0.05 < red < 0.8, subcategory  # a garment, not an empty or full frame


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        render_garment((0, 0, 0), "tee_short", background="plaid")
    with pytest.raises(ValueError):
        render_garment((0, 0, 0), "tee_short", size=4)
    with pytest.raises(ValueError):
        garment_rgb("teal", 1)
    with pytest.raises(ValueError):
        render_collage([])


def test_collage_holds_every_garment() -> None:
    families = ["red", "blue", "yellow"]
    tiles = [render_garment(FAMILY_RGB[f], "tee_short", seed=i, size=64) for i, f in enumerate(families)]
    collage = render_collage(tiles, cell=64)
    assert collage.size[0] > 128 and collage.size[1] > 128
