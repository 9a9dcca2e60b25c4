"""The load benchmark's synthetic catalogue must fit the schema it benchmarks (it broke once, unnoticed,
when item gender gained a CHECK constraint)."""

from __future__ import annotations

from sqlalchemy import func, select

from benchmarks.backend_catalogue import fill
from db.engine import get_engine, session_scope
from db.models import Item, ItemTag


def test_fill_writes_items_with_two_tags_each_on_both_engines(db_url: str) -> None:
    fill(get_engine(db_url), 30, chunk=7)
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(Item)) == 30
        assert session.scalar(select(func.count()).select_from(ItemTag)) == 60
        genders = set(session.scalars(select(Item.gender).distinct()))
    assert genders <= {"male", "female", "unisex"} and genders
