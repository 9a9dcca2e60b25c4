"""0006_event_detail_json: event detail becomes a JSON column, converting the rows already stored."""

from __future__ import annotations

from sqlalchemy import select, text

from db import migrate
from db.engine import get_engine, session_scope
from db.models import InteractionEvent

OLD_TEXTS = {  # what 0004 let the backend store -> what the JSON column holds afterwards
    '{"model": "lightgcn", "k": 10}': {"model": "lightgcn", "k": 10},
    '{"x": NaN, "y": [Infinity, 1.5]}': {"x": None, "y": [None, 1.5]},
    '{"q": "셔츠"}': {"q": "셔츠"},
    'not json at all': {"text": "not json at all"},
}


def test_upgrade_converts_existing_details_on_both_engines(empty_db_url: str) -> None:
    migrate.upgrade(empty_db_url, "0004_backend")
    with get_engine(empty_db_url).begin() as connection:
        for number, old in enumerate([*OLD_TEXTS, None]):
            connection.execute(text("INSERT INTO interaction_event (session_id, event_type, rank, detail) "
                                    "VALUES ('s', 'click', :rank, :detail)"), {"rank": number, "detail": old})
    get_engine(empty_db_url).dispose()
    migrate.upgrade(empty_db_url)
    with session_scope(empty_db_url) as session:
        stored = session.scalars(select(InteractionEvent.detail).order_by(InteractionEvent.rank)).all()
    assert stored == [*OLD_TEXTS.values(), None]
    get_engine(empty_db_url).dispose()
    migrate.downgrade(empty_db_url, "0004_backend")  # and back: the JSON text is kept as text
    with get_engine(empty_db_url).connect() as connection:
        assert connection.execute(text("SELECT detail FROM interaction_event WHERE rank = 2")).scalar_one() \
            == '{"q": "셔츠"}'
