"""Two requests at the same moment, made to meet every time instead of three times in four.

Each call runs in a thread with a database connection of its own. A connection outside Django holds
a SHARE lock on the table the calls insert into: each call makes its reads (is this address new? does
this member follow the city yet?) and then waits at its first write there, until every call waits.
Then the lock goes and the inserts meet at the unique constraint, as a double click's do.
"""

import threading
import time
from collections.abc import Callable

from django.db import connection

from tests.helpers.database import other_connection


def _waiting(conn) -> int:
    # pg_locks, not pg_stat_activity: the latter is a snapshot taken once per transaction.
    row = conn.execute("SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted").fetchone()
    return row[0]


def until_one_waits(*, timeout: float = 10) -> bool:
    """Wait until some connection waits for a lock (a request blocked on a row another transaction
    holds); False when none did within ``timeout`` seconds: then nothing waits, and the test's own
    assertions say what that let through."""
    watcher = other_connection()
    watcher.autocommit = True  # each poll its own snapshot of pg_stat_activity
    try:
        deadline = time.monotonic() + timeout
        # In this test's database only: tests in other processes wait on locks of their own.
        query = (
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
            " WHERE NOT l.granted AND a.datname = current_database()"
        )
        while watcher.execute(query).fetchone()[0] < 1:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True
    finally:
        watcher.close()


def at_once(
    calls: list[Callable[[], object]], *, table: str, waiting: int | None = None, timeout: float = 30
) -> list[object]:
    """Run the calls together as described above; each one's result, or the exception it raised.

    ``waiting``: how many of them must wait before the lock goes (all, unless a row lock of their own
    lets only one reach the table while the others wait for it, which also counts as waiting)."""
    waiting = len(calls) if waiting is None else waiting
    results: list[object] = [None] * len(calls)
    holder = other_connection()
    holder.execute(f"LOCK TABLE {table} IN SHARE MODE")  # psycopg opened a transaction: held until rollback

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            results[index] = call()
        except BaseException as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + timeout
        while _waiting(holder) < waiting:
            if time.monotonic() > deadline or not any(thread.is_alive() for thread in threads):
                break  # asserted below: every call reached the write, or the test says which did not
            time.sleep(0.02)
        met = _waiting(holder) >= waiting
    finally:
        holder.rollback()
        holder.close()
    for thread in threads:
        thread.join(timeout=60)
    assert met, f"not every call reached its insert into {table} while the others waited: {results}"
    return results
