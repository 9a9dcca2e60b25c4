"""Closets (내 옷장): create, read, add and remove garments, each in one transaction.

A closet has no owner: its id (128 random bits from `secrets`) is the only key, so ids are checked
against their exact format before any query, and an id that cannot exist reads as "not found".
Adding and removing first write the closet row (its `updated_at`): on MariaDB that locks the row, on
SQLite it takes the database's write lock, so concurrent changes to one closet run one after the
other and can neither pass the size limit nor store one item twice. (A `SELECT ... FOR UPDATE` would
not do: SQLite ignores it, and its reads outside a write transaction lock nothing.)
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.errors import ApiError
from backend.schemas import MAX_CLOSET_ENTRIES, ClosetAdd
from backend.services.items import item_out
from db.models import Closet, ClosetEntry, Item

CLOSET_ID_BYTES = 16  # 128 random bits
CLOSET_ID_PATTERN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Added:
    entry_id: int
    created: bool
    size: int


def new_closet_id() -> str:
    return secrets.token_hex(CLOSET_ID_BYTES)


def closet_not_found() -> ApiError:
    """The same answer for a malformed id and for a well-formed one that was never created (the id is
    never echoed back)."""
    return ApiError(404, "closet_not_found", "There is no closet with this id.")


def is_closet_id(text: str) -> bool:
    return CLOSET_ID_PATTERN.fullmatch(text) is not None


def create_closet(session: Session) -> str:
    closet = Closet(id=new_closet_id())
    session.add(closet)
    session.commit()
    return closet.id


def _closet_or_404(session: Session, closet_id: str) -> None:
    if not is_closet_id(closet_id) or session.get(Closet, closet_id) is None:
        raise closet_not_found()


def _lock_closet_or_404(session: Session, closet_id: str) -> None:
    """Touch the closet row inside the transaction: the lock every change to one closet queues on."""
    if not is_closet_id(closet_id):
        raise closet_not_found()
    touched = session.execute(update(Closet).where(Closet.id == closet_id).values(updated_at=func.now()))
    if not touched.rowcount:
        session.rollback()
        raise closet_not_found()


def get_closet(session: Session, closet_id: str) -> dict:
    """ClosetOut: catalogue items (ItemOut + entry_id) and described garments, oldest first."""
    _closet_or_404(session, closet_id)
    rows = session.execute(
        select(ClosetEntry, Item).outerjoin(Item, Item.id == ClosetEntry.item_id)
        .where(ClosetEntry.closet_id == closet_id).order_by(ClosetEntry.id)).all()
    items = [{**item_out(item), "entry_id": entry.id} for entry, item in rows if item is not None]
    garments = [{"entry_id": entry.id, "big_class": entry.big_class, "subcategory": entry.subcategory,
                 "color_family": entry.color_family, "gender": entry.gender}
                for entry, item in rows if item is None]
    return {"closet_id": closet_id, "items": items, "garments": garments}


def _size(session: Session, closet_id: str) -> int:
    return session.scalar(select(func.count()).select_from(ClosetEntry)
                          .where(ClosetEntry.closet_id == closet_id)) or 0


def _existing_entry(session: Session, closet_id: str, item_id: int) -> int | None:
    return session.scalar(select(ClosetEntry.id).where(ClosetEntry.closet_id == closet_id,
                                                       ClosetEntry.item_id == item_id))


def add_to_closet(session: Session, closet_id: str, body: ClosetAdd) -> Added:
    """Add an item or a described garment; an item already there is a no-op (created=False).

    404 for an unknown closet, 422 for an unknown item, 409 `closet_full` past the limit.
    """
    _lock_closet_or_404(session, closet_id)
    if body.item_id is not None:
        if session.get(Item, body.item_id) is None:
            session.rollback()
            raise ApiError(422, "unknown_reference", f"Item {body.item_id} does not exist.",
                           {"item_ids": [body.item_id]})
        existing = _existing_entry(session, closet_id, body.item_id)
        if existing is not None:
            size = _size(session, closet_id)
            session.rollback()  # nothing changes: release the lock (and keep updated_at)
            return Added(existing, False, size)
    size = _size(session, closet_id)
    if size >= MAX_CLOSET_ENTRIES:
        session.rollback()
        raise ApiError(409, "closet_full",
                       f"A closet holds at most {MAX_CLOSET_ENTRIES} garments; remove one before "
                       "adding more.",
                       {"max_size": MAX_CLOSET_ENTRIES, "size": size})
    garment = body.garment.model_dump() if body.garment is not None else {}
    entry = ClosetEntry(closet_id=closet_id, item_id=body.item_id, **garment)
    session.add(entry)
    try:
        session.commit()
    except IntegrityError:  # the same item added by a concurrent request a moment earlier
        session.rollback()
        existing = _existing_entry(session, closet_id, body.item_id) if body.item_id else None
        if existing is None:
            raise
        return Added(existing, False, _size(session, closet_id))
    return Added(entry.id, True, size + 1)


def remove_from_closet(session: Session, closet_id: str, entry_id: int) -> None:
    """Delete one entry of this closet; 404 when the closet or the entry (in this closet) is unknown."""
    _lock_closet_or_404(session, closet_id)
    removed = session.execute(delete(ClosetEntry).where(ClosetEntry.closet_id == closet_id,
                                                        ClosetEntry.id == entry_id)).rowcount
    if not removed:
        session.rollback()
        raise ApiError(404, "entry_not_found", f"Entry {entry_id} is not in this closet.")
    session.commit()
