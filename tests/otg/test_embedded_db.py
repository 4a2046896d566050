"""The embedded PostgreSQL survives the ways a developer's processes end."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import psycopg
import pytest

from otg.embedded_db import ensure_server, stop_server

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
