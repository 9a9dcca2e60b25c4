"""The shopper's closet (내 옷장) across pages: its id in the page URL, and the "옷장에 추가" actions.

There is no login: the closet's unguessable id is kept in `?closet=...` on every page, so a reload or a
bookmark brings it back. It is created by the backend on the first add. Actions run as button
callbacks and leave a one-line notice (`flash`) that the next run shows as a toast or an error.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from frontend import data
from frontend.backend_client import BackendError
from frontend.labels import big_class_label, color_label, subcategory_label

QUERY_PARAM = "closet"
# the genders the backend accepts for a described garment, with their Korean labels
GENDER_LABELS: dict[str, str] = {"male": "남성", "female": "여성", "unisex": "남녀공용"}
_ID = re.compile(r"[0-9a-f]{32}")
ss = st.session_state


def sync_url() -> None:
    """Adopt a closet id from the URL, else put the session's id back into it (page switches drop it)."""
    from_url = st.query_params.get(QUERY_PARAM)
    if from_url and _ID.fullmatch(from_url):
        ss["closet_id"] = from_url
    elif ss.get("closet_id"):
        st.query_params[QUERY_PARAM] = ss["closet_id"]


def closet_id() -> str | None:
    return ss.get("closet_id")


def forget() -> None:
    """Start over without a closet (the old one stays reachable through its bookmark)."""
    ss.pop("closet_id", None)
    st.query_params.pop(QUERY_PARAM, None)


def _use(new_id: str) -> None:
    ss["closet_id"] = new_id
    st.query_params[QUERY_PARAM] = new_id


def _flash(kind: str, message: str) -> None:
    ss["closet_flash"] = (kind, message)


def show_flash() -> None:
    """The notice the last add or remove left: a toast for success, a box for a problem."""
    kind, message = ss.pop("closet_flash", (None, None))
    if kind == "ok":
        st.toast(message, icon=":material/checkroom:")
    elif kind == "error":
        st.error(message, icon=":material/error:")


def garment_label(garment: dict[str, Any]) -> str:
    """'화이트 셔츠 (상의)' for a described garment."""
    return (f"{color_label(garment.get('color_family'))} {subcategory_label(garment.get('subcategory'))} "
            f"({big_class_label(garment.get('big_class'))})")


def _add(what: str, *, item_id: int | None = None, garment: dict[str, Any] | None = None) -> None:
    api = data.client()
    try:
        current = closet_id()
        if current is None:
            current = api.create_closet()
            _use(current)
        try:
            added = api.add_to_closet(current, item_id=item_id, garment=garment)
        except BackendError as error:
            if error.kind != "not_found":  # (an unknown item is a 422, so this is the closet)
                raise
            _use(api.create_closet())  # the bookmarked closet is gone: start a new one
            added = api.add_to_closet(closet_id(), item_id=item_id, garment=garment)
    except BackendError as error:
        _flash("error", error.message)
        return
    notice = "옷장에 담았습니다" if added["created"] else "이미 옷장에 있는 옷입니다"
    _flash("ok", f"{notice}: {what} ({added['size']}벌)")


def add_item(item: dict[str, Any]) -> None:
    _add(item.get("name") or "옷", item_id=int(item["id"]))


def add_garment(big_class: str, subcategory: str | None, color_family: str | None,
                gender: str | None = None) -> None:
    garment = {"big_class": big_class, "subcategory": subcategory, "color_family": color_family}
    if gender in GENDER_LABELS:  # anything else (another page's vocabulary) is left out, not refused
        garment["gender"] = gender
    _add(garment_label(garment), garment=garment)


def remove(entry_id: int, what: str) -> None:
    current = closet_id()
    if current is None:
        return
    try:
        data.client().remove_from_closet(current, entry_id)
    except BackendError as error:
        if error.kind != "not_found":  # already gone (another tab): nothing to tell
            _flash("error", error.message)
            return
    _flash("ok", f"옷장에서 뺐습니다: {what}")


def add_button(item: dict[str, Any], key: str) -> None:
    """"옷장에 추가" under a catalogue card."""
    st.button("옷장에 추가", key=f"closet_add_{key}_{item['id']}", on_click=add_item, args=(item,),
              icon=":material/add:", width="stretch")


def load() -> dict[str, Any] | None:
    """The current closet as the backend stores it; None when there is none (or its id is unknown)."""
    current = closet_id()
    return data.client().closet(current) if current else None
