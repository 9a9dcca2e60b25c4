"""What one shopper's browser session remembers across pages, and the usage-event queue."""

from __future__ import annotations

import json
import uuid
from typing import Any

import streamlit as st

from db.events import EVENT_TYPES
from db.experiments import assign_variant
from db.settings import get_settings
from frontend.backend_client import BackendError
from model.feedback.session import SessionSignals

MAX_QUEUED_EVENTS = 500  # the backend's batch limit; older events are dropped past it


def init() -> None:
    """Give the session an anonymous id and empty selections (idempotent across reruns)."""
    ss = st.session_state
    ss.setdefault("session_id", uuid.uuid4().hex)
    ss.setdefault("event_queue", [])
    ss.setdefault("logged_keys", set())
    ss.setdefault("query_item", None)  # ItemOut dict of the garment the shopper picked
    ss.setdefault("garment", None)  # (big_class, subcategory, color_family) when described instead
    ss.setdefault("garment_gender", None)  # male / female / unisex when the described garment has one
    ss.setdefault("match_item", None)  # ItemOut dict of the match chosen on the matches page
    ss.setdefault("shown_matches", [])  # [{"item": ItemOut, "rec": {...}}] on the matches page
    ss.setdefault("shown_outfits", [])  # [OutfitOut] on the outfits page
    ss.setdefault("search_page", 1)
    ss.setdefault("variant", assign_variant(get_settings().experiment, ss["session_id"]))  # as the backend
    ss.setdefault("session_signals", SessionSignals())  # clicks and showings, for session re-ranking


def session_id() -> str:
    return st.session_state["session_id"]


def query_item_id() -> int | None:
    item = st.session_state.get("query_item")
    return int(item["id"]) if item else None


def pick_query(item: dict[str, Any] | None, garment: tuple[str, str | None, str | None] | None,
               gender: str | None = None) -> None:
    """A new starting garment (a described one may say who wears it): what was chosen after it is gone."""
    ss = st.session_state
    ss["query_item"], ss["garment"], ss["shown_matches"] = item, garment, []
    ss["garment_gender"] = gender if garment is not None else None
    pick_match(None)


def pick_match(item: dict[str, Any] | None) -> None:
    """A new match for the starting garment: its outfits and survey start over."""
    ss = st.session_state
    ss["match_item"], ss["shown_outfits"] = item, []
    ss.pop("survey_sent", None)
    ss.pop("survey_posted", None)


def log_event(event_type: str, *, once_key: str | None = None, **fields: Any) -> bool:
    """Queue a usage event; `once_key` keeps reruns from logging the same thing twice (False then)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    ss = st.session_state
    if once_key is not None:
        if once_key in ss["logged_keys"]:
            return False
        ss["logged_keys"].add(once_key)
    event = {"session_id": session_id(), "event_type": event_type}
    event.update({k: v for k, v in fields.items() if v is not None})
    if isinstance(event.get("detail"), dict):
        event["detail"] = json.loads(json.dumps(event["detail"], default=str))
    queue: list = ss["event_queue"]
    queue.append(event)
    del queue[:-MAX_QUEUED_EVENTS]
    return True


def flush_events(client: Any) -> int:
    """Send queued events in one batch (never raises). While the backend is unreachable they wait for
    the next run; a batch the backend refuses as invalid is dropped, since resending cannot fix it."""
    queue: list = st.session_state.get("event_queue", [])
    if not queue:
        return 0
    batch = list(queue)
    try:
        accepted = client.post_events(batch)
    except BackendError as error:
        if error.kind == "bad_request":
            del queue[: len(batch)]
        return 0
    del queue[: len(batch)]
    return accepted
