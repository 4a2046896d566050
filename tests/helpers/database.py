"""Make the real database fail on purpose: a trigger that refuses a write, and a row lock held elsewhere."""

import contextlib

import psycopg
from django.db import connection


@contextlib.contextmanager
def refused_updates(table: str, column: str):
    """Every UPDATE of ``column`` in ``table`` fails with a database error while the block runs."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION otg_test_refuse() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'refused on purpose by the test'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER otg_test_refuse BEFORE UPDATE OF {column} ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION otg_test_refuse()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS otg_test_refuse ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS otg_test_refuse()")


def other_connection():
    """A connection of its own (not Django's): it sees only what has been committed."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings.get("PORT") or None,
        user=settings["USER"],
        password=settings.get("PASSWORD") or None,
        dbname=settings["NAME"],
    )


def someone_waits_for_a_lock(conn) -> bool:
    """Whether another session of this database is waiting for a lock right now."""
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    ).fetchone()
    return row[0] > 0
