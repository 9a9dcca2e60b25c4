"""Coordination examples: outfits that combine a pair of items (or their clusters)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from backend.api.deps import SessionDep
from backend.api.respond import respond
from backend.errors import ApiError
from backend.schemas import ErrorResponse, OutfitMatch
from backend.services.outfits import outfits_for_pair
from db.models import Item

router = APIRouter(prefix="/outfits", tags=["outfits"])

PairId = Annotated[int, Query(ge=1, le=2**53)]


@router.get("/by-pair", response_model=OutfitMatch, responses={404: {"model": ErrorResponse}},
            summary="Outfits containing both items, else outfits combining both items' clusters")
def by_pair(item_a: PairId, item_b: PairId, session: SessionDep,
            limit: Annotated[int, Query(ge=1, le=50)] = 6) -> Response:
    a, b = session.get(Item, item_a), session.get(Item, item_b)
    missing = [i for i, item in ((item_a, a), (item_b, b)) if item is None]
    if missing:
        raise ApiError(404, "not_found", "Unknown item id(s).", {"missing": missing})
    match, outfits = outfits_for_pair(session, a, b, limit)
    return respond(OutfitMatch, {"match": match, "outfits": outfits})
