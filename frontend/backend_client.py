"""HTTP client for the Closet backend (`/api/v1`), with timeouts and one exception type for pages.

Pages never see httpx errors: a refused connection, a timeout, a 5xx or an unexpected body all
become `BackendError` carrying a plain Korean sentence the page can show next to a retry button.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal
from urllib.parse import quote, urlencode

import httpx

API_PREFIX = "/api/v1"
SEARCH_SORTS = ("relevance", "price", "-price", "likes", "-likes", "name", "newest")
FILTER_NAMES = ("q", "big_class", "subcategory", "color_family", "brand", "gender", "min_price", "max_price")

ErrorKind = Literal["down", "slow", "unauthorized", "not_found", "bad_request", "server", "closet_full"]

_MESSAGES: dict[str, str] = {
    "down": "서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.",
    "slow": "서버 응답이 너무 늦습니다. 잠시 후 다시 시도해 주세요.",
    "unauthorized": "관리자 토큰이 올바르지 않습니다.",
    "not_found": "요청한 정보를 찾을 수 없습니다.",
    "bad_request": "요청을 처리할 수 없습니다. 입력을 확인해 주세요.",
    "server": "서버에 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.",
    "closet_full": "옷장에는 최대 200벌까지 담을 수 있습니다. 몇 벌을 빼고 다시 담아 주세요.",
}


class BackendError(Exception):
    """The backend could not answer usefully; `message` is ready to show to a shopper."""

    def __init__(self, kind: ErrorKind, detail: str = "", status: int | None = None) -> None:
        self.kind = kind
        self.status = status
        self.detail = detail
        self.message = _MESSAGES[kind]
        super().__init__(f"{kind} ({status}): {detail}" if detail else kind)


def _clean_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Drop unset filters so the query string carries only what the user chose."""
    return {key: value for key, value in params.items() if value not in (None, "", [])}


def _filter_params(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The chosen search filters as query parameters, over recommendable items only."""
    params = _clean_params({name: filters.get(name) for name in FILTER_NAMES})
    params["recommendable_only"] = "true"
    return params


def _error_code(response: httpx.Response) -> str | None:
    """`error.code` of the backend's error body, if it has one."""
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


class BackendClient:
    """Thin typed wrapper over the backend routes the app uses; one pooled connection per process."""

    def __init__(self, base_url: str, timeout: float = 5.0, transport: httpx.BaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
            transport=transport,
            headers={"Accept": "application/json"},
        )

    def close(self) -> None:
        self._http.close()

    # -- plumbing ---------------------------------------------------------------------------------
    def _request(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else None
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as error:
            raise BackendError("slow", str(error)) from error
        except httpx.TransportError as error:
            raise BackendError("down", str(error)) from error
        if response.status_code in (401, 403):
            raise BackendError("unauthorized", response.text[:200], response.status_code)
        if response.status_code == 404:
            raise BackendError("not_found", response.text[:200], 404)
        if response.status_code == 409 and _error_code(response) == "closet_full":
            raise BackendError("closet_full", response.text[:500], 409)
        if response.status_code in (400, 409, 413, 422):
            raise BackendError("bad_request", response.text[:500], response.status_code)
        if response.status_code >= 400:
            raise BackendError("server", response.text[:500], response.status_code)
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._request(method, path, **kwargs)
        try:
            return response.json()
        except ValueError as error:
            raise BackendError("server", f"not JSON: {response.text[:200]}", response.status_code) from error

    def _json_or_none(self, method: str, path: str, **kwargs: Any) -> Any:
        """Like `_json`, but a 404 is "not there" (None), not an error."""
        try:
            return self._json(method, path, **kwargs)
        except BackendError as error:
            if error.kind == "not_found":
                return None
            raise

    # -- public routes ----------------------------------------------------------------------------
    def health(self) -> bool:
        return self._json("GET", "/health").get("status") == "ok"

    def search(self, filters: Mapping[str, Any], page: int = 1, page_size: int = 10,
               sort: str = "relevance") -> dict[str, Any]:
        """One page of items: `{"items", "total", "page", "page_size"}`."""
        if sort not in SEARCH_SORTS:
            raise ValueError(f"sort must be one of {SEARCH_SORTS}")
        params = _filter_params(filters)
        params.update(page=page, page_size=page_size, sort=sort)
        return self._json("GET", "/items/search", params=params)

    def facets(self, filters: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
        return self._json("GET", "/items/facets", params=_filter_params(filters))

    def random_item(self, big_class: str | None = None) -> dict[str, Any] | None:
        """A random recommendable item, or None when nothing matches."""
        return self._json_or_none("GET", "/items/random", params=_clean_params({"big_class": big_class}))

    def item(self, item_id: int) -> dict[str, Any] | None:
        return self._json_or_none("GET", f"/items/{int(item_id)}")

    def items_batch(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """Items in the order asked; unknown ids are left out by the backend."""
        if not ids:
            return []
        return self._json("POST", "/items/batch", json={"ids": [int(i) for i in ids]})["items"]

    def outfits_by_pair(self, item_a: int, item_b: int, limit: int = 6) -> dict[str, Any]:
        """`{"match": "items"|"clusters"|"none", "outfits": [...]}`."""
        return self._json("GET", "/outfits/by-pair",
                          params={"item_a": int(item_a), "item_b": int(item_b), "limit": limit})

    def post_survey(self, response: Mapping[str, Any]) -> int:
        return int(self._json("POST", "/survey", json=dict(response))["id"])

    def post_events(self, events: Sequence[Mapping[str, Any]]) -> int:
        if not events:
            return 0
        return int(self._json("POST", "/events", json={"events": [dict(e) for e in events]})["accepted"])

    # -- closets (내 옷장) ---------------------------------------------------------------------------
    def create_closet(self) -> str:
        return str(self._json("POST", "/closets")["closet_id"])

    def closet(self, closet_id: str) -> dict[str, Any] | None:
        """`{"closet_id", "items": [ItemOut + entry_id], "garments": [...], "max_size"}`; None if unknown."""
        return self._json_or_none("GET", f"/closets/{quote(closet_id, safe='')}")

    def add_to_closet(self, closet_id: str, *, item_id: int | None = None,
                      garment: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """`{"entry_id", "created", "size"}`; BackendError `closet_full` past the limit, `not_found` for an
        unknown closet."""
        body = {"item_id": int(item_id)} if item_id is not None else {"garment": dict(garment or {})}
        return self._json("POST", f"/closets/{quote(closet_id, safe='')}/items", json=body)

    def remove_from_closet(self, closet_id: str, entry_id: int) -> None:
        self._request("DELETE", f"/closets/{quote(closet_id, safe='')}/items/{int(entry_id)}")

    # -- admin routes -----------------------------------------------------------------------------
    def survey_summary(self, token: str) -> dict[str, Any]:
        return self._json("GET", "/admin/survey/summary", token=token)

    def daily_stats(self, token: str, days: int = 30) -> Any:
        return self._json("GET", "/admin/stats/daily", params={"days": days}, token=token)

    def insights(self, token: str) -> dict[str, Any]:
        return self._json("GET", "/admin/insights", token=token)

    def experiments(self, token: str) -> dict[str, Any]:
        return self._json("GET", "/admin/experiments", token=token)

    # -- links the browser follows ----------------------------------------------------------------

    def absolute(self, url: str | None) -> str | None:
        """Backend-relative URLs (`/media/...`, `/api/v1/...`) made loadable by the browser."""
        if not url:
            return None
        return self.base_url + url if url.startswith("/") else url

    def shop_link(self, item_id: int, session_id: str, query_item_id: int | None = None,
                  rank: int | None = None) -> str:
        """The tracked shop redirect: the backend records the click, then sends the browser on."""
        params = _clean_params({"session_id": session_id, "query_item_id": query_item_id, "rank": rank})
        return f"{self.base_url}{API_PREFIX}/items/{int(item_id)}/shop?{urlencode(params)}"
