"""Closets (내 옷장): a shopper's saved garments, addressed by an unguessable id (no login)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Response

from backend.api.deps import SessionDep
from backend.api.respond import respond
from backend.schemas import ClosetAdd, ClosetAdded, ClosetCreated, ClosetOut, ErrorResponse
from backend.services.closets import add_to_closet, create_closet, get_closet, remove_from_closet

router = APIRouter(prefix="/closets", tags=["closets"])

# Any text reaches the service, which answers 404 for anything that is not a
# closet id (32 lowercase hex characters): a malformed id is simply a closet that does not exist.
ClosetId = Annotated[str, Path(description="32 lowercase hex characters.")]
EntryId = Annotated[int, Path(ge=1, le=2**53)]
NOT_FOUND = {404: {"model": ErrorResponse}}


@router.post("", status_code=201, response_model=ClosetCreated, summary="Create an empty closet")
def create(session: SessionDep) -> Response:
    return respond(ClosetCreated, {"closet_id": create_closet(session)}, status_code=201)


@router.get("/{closet_id}", response_model=ClosetOut, responses=NOT_FOUND,
            summary="The closet's catalogue items and described garments")
def read(closet_id: ClosetId, session: SessionDep) -> Response:
    return respond(ClosetOut, get_closet(session, closet_id))


@router.post("/{closet_id}/items", status_code=201, response_model=ClosetAdded,
             responses={200: {"model": ClosetAdded, "description": "The item was already there"},
                        409: {"model": ErrorResponse}, **NOT_FOUND},
             summary="Add a catalogue item (`item_id`) or a described garment (`garment`)")
def add(closet_id: ClosetId, body: ClosetAdd, session: SessionDep) -> Response:
    added = add_to_closet(session, closet_id, body)
    return respond(ClosetAdded, asdict(added), status_code=201 if added.created else 200)


@router.delete("/{closet_id}/items/{entry_id}", status_code=204, responses=NOT_FOUND,
               summary="Remove one garment from the closet")
def remove(closet_id: ClosetId, entry_id: EntryId, session: SessionDep) -> Response:
    remove_from_closet(session, closet_id, entry_id)
    return Response(status_code=204)
