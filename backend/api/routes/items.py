"""Items: search, facets, random pick, detail, batch look-up and the shop-link redirect."""

from __future__ import annotations

import random
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from backend.api.deps import SearchIndexDep, SessionDep, SettingsDep, WriteGateDep
from backend.api.respond import respond
from backend.errors import ApiError
from backend.schemas import (
    BatchRequest,
    ErrorResponse,
    Facets,
    FreeText,
    ItemDetail,
    ItemList,
    ItemOut,
    SearchPage,
    SessionId,
)
from backend.services.items import get_item_detail, item_out, items_by_ids, random_item
from backend.services.recording import record_shop_click
from backend.services.search import ItemFilters, SortKey, facets, search_items
from model.features.vocab import BIG_CLASSES

router = APIRouter(prefix="/items", tags=["items"])

BigClass = Literal[BIG_CLASSES]
Filter = Annotated[str | None, Field(max_length=128)]
NOT_FOUND = {404: {"model": ErrorResponse}}


class FilterParams(BaseModel):
    q: FreeText | None = Field(default=None, max_length=100, description="Words that must all occur "
                               "(case-insensitive substrings of name, brand, category, colour); no NUL.")
    big_class: BigClass | None = None
    subcategory: Filter = None
    color_family: Filter = None
    brand: Filter = None
    gender: Filter = None
    min_price: int | None = Field(default=None, ge=0, le=2_000_000_000)
    max_price: int | None = Field(default=None, ge=0, le=2_000_000_000)
    recommendable_only: bool = True

    def filters(self) -> ItemFilters:
        return ItemFilters(**self.model_dump(include=set(FilterParams.model_fields)))


class SearchParams(FilterParams):
    sort: SortKey = "relevance"
    page: int = Field(default=1, ge=1, le=1000)
    page_size: int = Field(default=10, ge=1, le=100)


@router.get("/search", response_model=SearchPage, summary="Search items by text and filters")
def search(params: Annotated[SearchParams, Query()], session: SessionDep, index: SearchIndexDep) -> Response:
    found, total = search_items(session, params.filters(), sort=params.sort, page=params.page,
                                page_size=params.page_size, index=index)
    return respond(SearchPage, {"items": [item_out(i) for i in found], "total": total,
                                "page": params.page, "page_size": params.page_size})


@router.get("/facets", response_model=Facets, summary="Counts per big class, subcategory, colour, brand")
def item_facets(params: Annotated[FilterParams, Query()], session: SessionDep,
                index: SearchIndexDep) -> Response:
    return respond(Facets, facets(session, params.filters(), index=index))


@router.get("/random", response_model=ItemOut, responses=NOT_FOUND, summary="One random recommendable item")
def random_pick(session: SessionDep, big_class: BigClass | None = None) -> Response:
    item = random_item(session, big_class, random.random())
    if item is None:
        raise ApiError(404, "not_found", "No recommendable item matches.")
    return respond(ItemOut, item_out(item))


@router.post("/batch", response_model=ItemList, summary="Items by id, in the order asked")
def batch(body: BatchRequest, session: SessionDep) -> Response:
    return respond(ItemList, {"items": [item_out(i) for i in items_by_ids(session, body.ids)]})


ItemId = Annotated[int, Path(ge=1, le=2**53)]


@router.get("/{item_id:int}", response_model=ItemDetail, responses=NOT_FOUND, summary="One item with details")
def detail(item_id: ItemId, session: SessionDep) -> Response:
    detail = get_item_detail(session, item_id)
    if detail is None:
        raise ApiError(404, "not_found", f"Item {item_id} does not exist.")
    return respond(ItemDetail, detail)


@router.get("/{item_id:int}/shop", status_code=307, response_class=RedirectResponse,
            responses={307: {"description": "Redirect to the shop page"},
                       400: {"model": ErrorResponse}, 404: {"model": ErrorResponse},
                       503: {"model": ErrorResponse}},
            summary="Record a shop-link click, then redirect to the shop (allow-listed hosts only)")
async def open_shop(item_id: ItemId, session: SessionDep, settings: SettingsDep, writes: WriteGateDep,
                    session_id: Annotated[SessionId | None, Query()] = None,
                    query_item_id: Annotated[int | None, Query(ge=1, le=2**53)] = None,
                    rank: Annotated[int | None, Query(ge=0, le=10000)] = None) -> RedirectResponse:
    target = await writes.run(partial(record_shop_click, session, item_id, session_id=session_id,
                                      query_item_id=query_item_id, rank=rank, shop_hosts=settings.shop_hosts,
                                      shop_origins=settings.shop_origins, experiment=settings.experiment))
    return RedirectResponse(target, status_code=307)
