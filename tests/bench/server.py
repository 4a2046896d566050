"""Start the portal under gunicorn with production settings on a free loopback port."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of a production deployment, pointed at a benchmark database."""
    env = dict(os.environ)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="benchmark-secret-key-not-for-production-0123456789abcdefghijkl",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(ROOT / "var" / "bench" / "static"),
        MEDIA_ROOT=str(ROOT / "var" / "bench" / "media"),
        DJANGO_LOG_LEVEL="ERROR",
        # Mail is queued as jobs as in production; no worker runs during the page and storm figures.
        EMAIL_URL="smtp://127.0.0.1:2525",
        DJANGO_SETTINGS_MODULE="otg.settings",
    )
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"].rsplit("/", 1)[0] + "/" + database
    else:
        env.pop("DATABASE_URL", None)
        env["EMBEDDED_PG_DATABASE"] = database
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def prepare(database: str, scale: float) -> dict[str, str]:
    """Migrate the benchmark database ``database``, fill it at ``scale`` of the full volume (once: the data
    script keeps what it built) and return its production environment."""
    env = production_env(database)
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    subprocess.run(
        [str(BIN / "python"), "-m", "tests.bench.data", "--scale", str(scale)], cwd=ROOT, env=env, check=True
    )
    return env


def wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 3):
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "otg.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/livez")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
