"""A crawl worker whose claim loses a real InnoDB deadlock runs the claim again (real MariaDB).

CI once saw `worker 1 failed: (1213, 'Deadlock found ...')` from two workers claiming the first
page at once: the deadlock victim's transaction is rolled back, and the crawl must not stop there.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Connection, event, text
from tenacity import Retrying, retry_if_result, stop_after_delay, wait_fixed

from crawler import frontier
from crawler.frontier import Child, Limits
from db import migrate
from db.engine import get_engine, session_scope
from db.mariadb_server import MariaDBServer

pytestmark = pytest.mark.mariadb

WAIT_S = 10.0
LIMITS = Limits(max_depth=5, max_outfits=None, max_items=None)


@pytest.fixture()
def mysql_url(mariadb_server: MariaDBServer) -> Iterator[str]:
    url = mariadb_server.create_database()
    migrate.upgrade(url)
    yield url
    get_engine(url).dispose()


def deadlocks(connection: Connection) -> int:
    return int(connection.execute(text("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")).one()[1])


def wait_until_a_transaction_waits_for_a_lock(connection: Connection) -> None:
    """Poll the server, bounded, until the claim's UPDATE is queued behind the rival's lock.

    INNODB_TRX is served from a cache that is refreshed only when it was last read over 0.1 s
    ago, so the polls are spaced by more than that.
    """
    query = text("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")
    polls = Retrying(
        stop=stop_after_delay(WAIT_S),
        wait=wait_fixed(0.15),
        retry=retry_if_result(lambda waiting: waiting == 0),
        retry_error_callback=lambda _: pytest.fail("the claim never waited for the rival's lock"),
    )
    polls(lambda: connection.execute(query).scalar_one())


def test_a_claim_chosen_as_deadlock_victim_is_run_again(mysql_url: str) -> None:
    """Replays the deadlock step by step, from a hook that runs before each of the claim's UPDATEs.

    1. Before the claim updates the top page, a rival takes that page and commits, then starts a
       heavy transaction that also writes the second page. The claim's UPDATE matches no row but,
       under REPEATABLE READ, keeps its lock on the top page.
    2. Before the claim updates the second page, the rival asks for the top page (it waits for the
       claim), and the claim then waits for the rival's second page: a cycle. InnoDB rolls back the
       lighter transaction, the claim's, which must run again and get the second page.
    """
    frontier.seed(mysql_url, "http://shop/app/codimap/lists?page=1", "list")
    root = frontier.claim(mysql_url, "seed")
    assert root is not None
    with session_scope(mysql_url) as session:
        children = [Child(f"http://shop/app/goods/{n}/0", "item") for n in range(40)]
        frontier.push(session, root, children, LIMITS)
    with session_scope(mysql_url) as session:
        top, second, *others = session.scalars(
            text("SELECT id FROM crawl_page WHERE state = 'pending' ORDER BY stack_order DESC, id")
        ).all()

    engine = get_engine(mysql_url)
    # the pool is left last: should the replay go wrong, closing the rival first frees the claim at once
    with ThreadPoolExecutor(2) as pool, engine.connect() as watcher, engine.connect() as rival:
        before = deadlocks(watcher)
        rival_waits = []

        def touch(ids: list[int]) -> None:
            """One point UPDATE per row: each locks its own row only (a range scan locks neighbours)."""
            rows = [{"id": page_id} for page_id in ids]
            rival.execute(text("UPDATE crawl_page SET last_error = 'rival' WHERE id = :id"), rows)

        def take_the_top_page() -> None:
            rival.execute(text("UPDATE crawl_page SET state = 'in_progress' WHERE id = :id"), {"id": top})
            rival.commit()
            touch([*others, second])

        def close_the_cycle() -> None:
            def rival_asks_for_the_top_page() -> None:
                touch([top])
                rival.commit()

            rival_waits.append(pool.submit(rival_asks_for_the_top_page))
            wait_until_a_transaction_waits_for_a_lock(watcher)

        steps = iter([take_the_top_page, close_the_cycle])

        def before_a_claim_update(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
            claiming = statement.startswith("UPDATE crawl_page SET state")
            if claiming and parameters.get("claimed_by") == "worker-a":
                next(steps, lambda: None)()

        event.listen(engine, "before_cursor_execute", before_a_claim_update)
        try:
            claimed = pool.submit(frontier.claim, mysql_url, "worker-a").result(timeout=WAIT_S)
        finally:
            event.remove(engine, "before_cursor_execute", before_a_claim_update)
        rival_waits[0].result(timeout=WAIT_S)  # the rival was not the victim
        assert deadlocks(watcher) > before  # the claim met a real deadlock, not only a lock wait

    assert claimed is not None and claimed.id == second
    with session_scope(mysql_url) as session:
        state, owner = session.execute(
            text("SELECT state, claimed_by FROM crawl_page WHERE id = :id"), {"id": second}
        ).one()
    assert (state, owner) == ("in_progress", "worker-a")
