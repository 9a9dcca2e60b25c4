"""The app's pages in one table, so pages can move the shopper on without knowing file paths."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

# name -> (script relative to frontend/app.py, Korean title, icon, url path)
PAGES: dict[str, tuple[str, str, str, str]] = {
    "find": ("views/find.py", "옷 찾기", ":material/search:", "find"),
    "matches": ("views/matches.py", "추천", ":material/checkroom:", "matches"),
    "outfits": ("views/outfits.py", "코디", ":material/styler:", "outfits"),
    "survey": ("views/survey.py", "설문", ":material/rate_review:", "survey"),
    "closet": ("views/closet.py", "내 옷장", ":material/door_sliding:", "closet"),
    "closet_outfits": ("views/closet_outfits.py", "코디 만들기", ":material/auto_awesome:", "closet_outfits"),
    "insights": ("views/insights.py", "인사이트", ":material/insights:", "insights"),
}


def build() -> list[st.Page]:
    return [st.Page(path, title=title, icon=icon, url_path=url, default=(name == "find"))
            for name, (path, title, icon, url) in PAGES.items()]


def go(name: str) -> NoReturn:
    """Switch to a page by name (stops the current run)."""
    st.switch_page(PAGES[name][0])
