"""Shared look: CSS for phone-width screens, item cards, and the friendly error box with a retry."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from html import escape
from typing import Any

import streamlit as st

from frontend.backend_client import BackendError
from frontend.labels import COLOR_SWATCHES, big_class_label, color_label, format_price, subcategory_label

GRID_COLUMNS = 5

_BASE_CSS = """
<style>
.block-container {padding-top: 2.2rem; padding-bottom: 3rem; max-width: 1100px;}
.closet-card {display: flex; flex-direction: column; gap: 2px; font-size: 0.86rem; line-height: 1.3;}
.closet-card a.closet-thumb {display: block;}
.closet-thumb img, img.closet-thumb {width: 100%; aspect-ratio: 1 / 1; object-fit: cover;
  border-radius: 8px; background: #f2f2f2; display: block; overflow: hidden; font-size: 0.7rem; color: #999;}
.closet-noimg {width: 100%; aspect-ratio: 1 / 1; border-radius: 8px; background: #eee; display: flex;
  align-items: center; justify-content: center; color: #888; font-size: 0.8rem;}
.closet-brand {color: #666; font-size: 0.78rem; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis;}
.closet-name {font-weight: 600; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
  overflow: hidden; min-height: 2.2em;}
.closet-price {font-weight: 700;}
.closet-prob {display: inline-block; background: #1f2a4d; color: #fff; border-radius: 10px;
  padding: 0 8px; font-size: 0.78rem; font-weight: 700; width: fit-content;}
.closet-reason {color: #555; font-size: 0.78rem;}
.closet-query {display: flex; gap: 14px; align-items: center; margin-bottom: 0.6rem;}
.closet-query img {width: 110px; height: 110px; object-fit: cover; border-radius: 10px; flex: none;}
.closet-card .closet-reason {min-height: 2.6em;}
.closet-collage {display: grid; grid-template-columns: repeat(3, 1fr); gap: 4px; aspect-ratio: 1 / 1;
  align-content: center; background: #f6f6f6; border-radius: 8px; padding: 6px;}
.closet-collage img {width: 100%; aspect-ratio: 1 / 1; object-fit: cover; border-radius: 6px;}
.closet-swatch {width: 100%; aspect-ratio: 1 / 1; border-radius: 8px; display: flex; align-items: center;
  justify-content: center; text-align: center; font-size: 0.78rem; font-weight: 600; padding: 4px;
  box-sizing: border-box; border: 1px solid #ddd;}
.closet-collage .closet-swatch {border-radius: 6px; font-size: 0.68rem;}
.closet-score {display: inline-block; background: #0b6e4f; color: #fff; border-radius: 10px;
  padding: 0 8px; font-size: 0.82rem; font-weight: 700; width: fit-content;}
.closet-survey-item {display: flex; gap: 10px; align-items: center;}
.closet-mini {width: 52px; height: 52px; object-fit: cover; border-radius: 6px;}
.closet-tag {display: inline-block; background: #f0f0f0; border-radius: 8px; padding: 0 6px; margin: 1px;
  font-size: 0.75rem;}
/* Card grids wrap: five (or three) per line on a wide screen, two on a phone. */
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-card5_"]) {flex: 0 0 calc(20% - 0.8rem) !important;
  min-width: 0 !important;}
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-card3_"]) {flex: 0 0 calc(33.33% - 0.67rem) !important;
  min-width: 0 !important;}
@media (max-width: 640px) {
  .block-container {padding-left: 0.8rem; padding-right: 0.8rem;}
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-card"]) {flex: 0 0 calc(50% - 0.5rem) !important;}
  .closet-query img {width: 80px; height: 80px;}
}
</style>
"""


# Page-wide styles plus one rule per colour swatch button (keyed `swatch_<family>`), built once per process.
_CSS = _BASE_CSS.replace("</style>", "".join(
    f".st-key-swatch_{family} button {{background: {bg}; color: {fg}; border: 1px solid #bbb;}}"
    for family, (_name, bg, fg) in COLOR_SWATCHES.items()
) + "</style>")


def inject_css() -> None:
    """The app's styles, on every run (Streamlit forgets elements a run does not draw)."""
    st.markdown(_CSS, unsafe_allow_html=True)


def show_backend_error(error: BackendError, retry_key: str) -> None:
    """The plain message and a retry button that drops cached answers and runs the page again."""
    st.error(error.message, icon=":material/error:")
    if st.button("다시 시도", key=retry_key, type="primary"):
        st.cache_data.clear()
        st.rerun()


@contextmanager
def backend_guard(retry_key: str) -> Iterator[None]:
    """Turn a BackendError inside the block into the friendly box (the rest of the page goes on)."""
    try:
        yield
    except BackendError as error:
        show_backend_error(error, retry_key)


def image_tag(url: str | None, alt: str) -> str:
    if not url:
        return '<div class="closet-noimg">이미지 없음</div>'
    return f'<img class="closet-thumb" src="{escape(url, quote=True)}" alt="{escape(alt, quote=True)}">'


def collage_html(image_urls: Sequence[str], alt: str) -> str:
    """An outfit without its own photo: its garments' thumbnails side by side."""
    if not image_urls:
        return image_tag(None, alt)
    return tiles_collage_html([f'<img src="{escape(url, quote=True)}" alt="{escape(alt, quote=True)}">'
                               for url in image_urls])


def tiles_collage_html(tiles: Sequence[str]) -> str:
    """Up to nine ready tiles (images or swatches) in a square: two columns for up to four, else three."""
    columns = 2 if len(tiles) <= 4 else 3
    return (f'<div class="closet-collage" style="grid-template-columns: repeat({columns}, 1fr);">'
            f'{"".join(tiles[:9])}</div>')


def swatch_tile(color_family: str | None, text: str) -> str:
    """A garment without a photo: a square in its colour, named."""
    _name, background, foreground = COLOR_SWATCHES.get(color_family or "", ("", "#eeeeee", "#333333"))
    return (f'<div class="closet-swatch" style="background: {background}; color: {foreground};">'
            f'{escape(text)}</div>')


def item_card_html(item: dict[str, Any], image_url: str | None, link: str | None = None,
                   probability: float | None = None, reason: str | None = None) -> str:
    """One product card; the image opens `link` (the tracked shop redirect) in a new tab."""
    name = item.get("name") or ""
    picture = image_tag(image_url, name)
    if link:
        picture = (f'<a class="closet-thumb" href="{escape(link, quote=True)}" target="_blank" '
                   f'rel="noopener noreferrer" title="쇼핑몰에서 보기">{picture}</a>')
    parts = [picture, f'<div class="closet-brand">{escape(item.get("brand") or "")}</div>',
             f'<div class="closet-name">{escape(name)}</div>',
             f'<div class="closet-price">{escape(format_price(item.get("price")))}</div>']
    if probability is not None:
        parts.append(f'<div class="closet-prob">매칭 {probability * 100:.0f}%</div>')
    if reason:
        parts.append(f'<div class="closet-reason">{escape(reason)}</div>')
    return f'<div class="closet-card">{"".join(parts)}</div>'


def describe(item: dict[str, Any]) -> str:
    """'아우터 · 블레이저 · 네이비' for a card caption."""
    return " · ".join([big_class_label(item.get("big_class")), subcategory_label(item.get("subcategory")),
                       color_label(item.get("color_family"))])


def grid(entries: Sequence[Any], render: Callable[[Any, int], None], key: str,
         columns: int = GRID_COLUMNS) -> None:
    """Cards in a wrapping row: `columns` per line on a wide screen, two per line on a phone."""
    with st.container(key=f"grid_{key}", horizontal=True, gap="small", wrap=True):
        for index, entry in enumerate(entries):
            with st.container(key=f"card{columns}_{key}_{index}"):
                render(entry, index)


def query_header(item: dict[str, Any] | None, garment: tuple | None, image_url: str | None) -> None:
    """The garment the shopper started from, on top of the matches and outfits pages."""
    if item is not None:
        st.markdown(
            f'<div class="closet-query">{image_tag(image_url, item.get("name") or "")}<div>'
            f'<div class="closet-brand">{escape(item.get("brand") or "")}</div>'
            f'<div class="closet-name">{escape(item.get("name") or "")}</div>'
            f'<div class="closet-reason">{escape(describe(item))}</div></div></div>',
            unsafe_allow_html=True,
        )
    elif garment is not None:
        big_class, subcategory, color_family = garment
        st.markdown(f"**내가 설명한 옷:** {color_label(color_family)} {subcategory_label(subcategory)} "
                    f"({big_class_label(big_class)})")
