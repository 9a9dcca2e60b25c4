"""Image colour: accuracy on generated garments, and bad images that must not break a batch."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from model.features import image_colour
from model.features.image_colour import ImageColourExtractor, extract_paths, find_u2netp
from model.features.vocab import COLOR_FAMILIES, SUBCATEGORIES
from model.synthetic_garments import BACKGROUNDS, garment_rgb, render_garment

SUBS = [sub for subs in SUBCATEGORIES.values() for sub in subs]


def _png(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def _garment(index: int, family: str, size: int = 128) -> bytes:
    rgb = garment_rgb(family, index)
    return _png(render_garment(rgb, SUBS[(index * 7) % len(SUBS)], background=BACKGROUNDS[index % 3],
                               seed=index, size=size))


def test_border_method_reaches_95_percent_on_204_generated_garments() -> None:
    """17 families x 12 images, solid/gradient/textured backgrounds, the fallback path (no model)."""
    extractor = ImageColourExtractor(None, use_u2netp=False)
    results = []
    for index in range(204):
        family = COLOR_FAMILIES[index % len(COLOR_FAMILIES)]
        results.append((family, extractor.from_bytes(_garment(index, family)).family))
    accuracy = sum(expected == found for expected, found in results) / len(results)
    assert accuracy >= 0.95, [r for r in results if r[0] != r[1]]
    hard = [r for r in results if r[0] in {"black", "white", "navy", "beige"}]
    assert len(hard) == 48 and sum(a == b for a, b in hard) / len(hard) >= 0.95


@pytest.mark.slow
@pytest.mark.skipif(find_u2netp() is None, reason="u2netp.onnx not installed (make setup)")
def test_u2netp_on_the_hard_colours() -> None:
    """u2netp costs ~1 s an image on these machines, so only the hard families on each background."""
    extractor = ImageColourExtractor(None, use_u2netp=True)
    results = []
    for index, family in enumerate(["black", "white", "navy", "beige"] * 3):
        found = extractor.from_bytes(_garment(index, family))
        assert found.method in {"u2netp", "border"}
        results.append(found.family == family)
    assert sum(results) >= 11, results


def test_black_and_white_garments_on_white_and_grey() -> None:
    extractor = ImageColourExtractor(None, use_u2netp=False)
    for seed, (family, rgb) in enumerate([("white", (247, 247, 247)), ("black", (20, 20, 22))]):
        for background in BACKGROUNDS:
            image = render_garment(rgb, "tee_short", background=background, seed=seed, size=128)
            assert extractor.from_bytes(_png(image)).family == family


def test_transparent_png_ignores_transparent_pixels() -> None:
    image = Image.new("RGBA", (96, 96), (0, 0, 0, 0))  # transparent black must not count as black
    image.paste(Image.new("RGBA", (48, 48), (30, 38, 72, 255)), (24, 24))
    found = ImageColourExtractor(None, use_u2netp=False).from_bytes(_png(image))
    assert found.family == "navy" and found.dominant_rgb is not None


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"not an image at all", "unreadable"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "unreadable"),
])
def test_bad_bytes_give_null_colour_with_reason(data: bytes, reason: str) -> None:
    found = ImageColourExtractor(None, use_u2netp=False).from_bytes(data)
    assert found.family is None and found.dominant_rgb is None and reason in found.reason


def test_truncated_tiny_and_huge_images() -> None:
    extractor = ImageColourExtractor(None, use_u2netp=False)
    whole = _garment(1, "red")
    assert "unreadable" in extractor.from_bytes(whole[: len(whole) // 2]).reason
    assert "too small" in extractor.from_bytes(_png(Image.new("RGB", (8, 8), "red"))).reason
    huge = _png(Image.new("1", (9000, 6000)))  # 54 Mpx but a few kB: a decompression bomb
    assert "too large" in extractor.from_bytes(huge).reason
    assert "too large" in extractor.from_bytes(b"\x00" * (image_colour.MAX_BYTES + 1)).reason


def test_blank_image_has_no_garment() -> None:
    found = ImageColourExtractor(None, use_u2netp=False).from_bytes(_png(Image.new("RGB", (64, 64), "white")))
    assert found.family is None and "no garment" in found.reason


def test_batch_survives_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    good.write_bytes(_garment(3, "green"))
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff garbage")
    paths = [good, tmp_path / "missing.png", corrupt, None, tmp_path]
    results = extract_paths(paths, workers=1, use_u2netp=False)
    assert [r.family for r in results] == ["green", None, None, None, None]
    assert "missing" in results[1].reason and "unreadable" in results[2].reason
    assert results[3].reason == "no image" and "missing" in results[4].reason


def test_cache_by_content_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _garment(5, "orange")
    first = ImageColourExtractor(tmp_path, use_u2netp=False).from_bytes(data)
    assert first.family == "orange" and list(tmp_path.rglob("*.json"))

    def fail(self: object, data: bytes) -> None:
        raise AssertionError("cache was not used")

    monkeypatch.setattr(ImageColourExtractor, "_compute", fail)
    assert ImageColourExtractor(tmp_path, use_u2netp=False).from_bytes(data) == first
    with pytest.raises(AssertionError):  # a different image is not in the cache
        ImageColourExtractor(tmp_path, use_u2netp=False).from_bytes(_garment(6, "orange"))


def test_missing_model_falls_back_with_one_warning(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("U2NET_HOME", str(tmp_path))
    image_colour._warn_no_model_once.cache_clear()
    assert find_u2netp() is None
    with caplog.at_level("WARNING"):
        first = ImageColourExtractor(None)
        ImageColourExtractor(None)
    assert first.method == "border"
    assert sum("u2netp model not found" in r.message for r in caplog.records) == 1
    with pytest.raises(FileNotFoundError):
        ImageColourExtractor(None, use_u2netp=True)
    assert first.from_bytes(_garment(2, "purple")).family == "purple"


def test_u2netp_is_found_in_rembg_layouts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for relative in ("u2netp/u2netp.onnx", "models/u2netp/u2netp.onnx", "u2netp.onnx"):
        home = tmp_path / relative.replace("/", "_")
        model = home / relative
        model.parent.mkdir(parents=True)
        model.write_bytes(np.zeros(1_100_000, dtype=np.uint8).tobytes())
        monkeypatch.setenv("U2NET_HOME", str(home))
        assert find_u2netp() == model
