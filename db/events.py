"""The usage-event vocabulary in one place: the backend's schema, its reports, the app's event queue
and the feedback job all read these names, so a new event type is added here once."""

from __future__ import annotations

SEARCH = "search"
VIEW = "view"
RECOMMENDATION_SHOWN = "recommendation_shown"
CLICK = "click"
SHOP_LINK_OPEN = "shop_link_open"

EVENT_TYPES: tuple[str, ...] = (SEARCH, VIEW, RECOMMENDATION_SHOWN, CLICK, SHOP_LINK_OPEN)
