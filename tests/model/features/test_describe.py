"""describe_item: the live equivalent of what the build stores (source colour > name colour)."""

from __future__ import annotations

from model.features.describe import describe_item


def test_mango_uses_the_fine_colour_not_the_group() -> None:
    item = describe_item("mango", "Tops", "T-shirts > T-shirt > T-Shirt", "GREY", "T-Shirt Negro")
    assert (item.subcategory, item.color_family, item.color_source) == ("tee_short", "black", "source")
    assert item.cluster_key == "tee_short:black" and item.recommendable


def test_structured_colour_beats_the_name() -> None:
    item = describe_item("replica", "bottom", "slacks", "네이비", "와이드 슬랙스 [블랙]")
    assert (item.color_family, item.color_source) == ("navy", "source")
    fallback = describe_item("replica", "bottom", "slacks", "멀티", "와이드 슬랙스 [블랙]")
    assert (fallback.color_family, fallback.color_source) == ("black", "name")


def test_unknown_colour_and_accessories() -> None:
    item = describe_item("musinsa", "상의", None, None, "체크 셔츠 3colors")
    assert item.cluster_key == "shirt:unknown" and "several colours" in item.notes[0]
    ring = describe_item("musinsa", "액세서리", None, None, "실버 반지")
    assert not ring.recommendable and ring.cluster_key is None and ring.notes[0].startswith("not a")
