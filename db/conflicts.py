"""Run a whole transaction again when the database reports a lock conflict.

InnoDB resolves a deadlock by rolling one transaction back (error 1213) and gives up on a lock
after `innodb_lock_wait_timeout` (1205); a busy SQLite file answers "database is locked". The
MariaDB manual's advice for all three is the same: retry the transaction. Writers that two crawl
workers can run at once (claiming a page, booking a host slot, storing a page, recording a failure)
share this policy. It retries every `OperationalError`, as the crawler's loops did before it: a
dropped connection is worth one more try too. (The backend does not retry: it tells a lock conflict
from an outage with `backend.errors.is_lock_timeout` and answers 503.)
"""

from __future__ import annotations

from sqlalchemy.exc import OperationalError
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

CONFLICT_ATTEMPTS = 5


def retrying_on_conflict(*also: type[BaseException]) -> Retrying:
    """A tenacity loop: `for attempt in retrying_on_conflict(): with attempt, session_scope(...)`.

    `also` adds exception types that mean "another writer got there first" for one caller (a
    unique-key clash when two workers insert the same row).
    """
    return Retrying(
        retry=retry_if_exception_type((OperationalError, *also)),
        stop=stop_after_attempt(CONFLICT_ATTEMPTS),
        wait=wait_exponential_jitter(multiplier=0.05, max=1),
        reraise=True,
    )
