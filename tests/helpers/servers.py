"""Real servers for the fault and header tests: gunicorn subprocesses and a loopback HTTP client.

Only loopback traffic. Every wait is a bounded loop on a condition, never a bare sleep.
"""

import http.cookiejar
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(database: dict) -> str:
    """A DATABASE_URL for a unix-socket PostgreSQL, from a Django DATABASES entry or a socket folder."""
    host = database.get("HOST") or database.get("OPTIONS", {}).get("host")
    return f"postgres://{database.get('USER') or 'postgres'}@/{database['NAME']}?host={host}"


def portal_env(**extra: str) -> dict[str, str]:
    """The environment of a production-like portal process (no debug, plain static storage).

    It stores uploads in the test's own MEDIA_ROOT, the folder the media check after the test reads.
    """
    from django.conf import settings

    # The browser tests allow async-unsafe ORM calls in this process; a deployment never does.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # collectstatic has not run: the manifest storage would fail on every {% static %}.
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DJANGO_LOG_LEVEL": "CRITICAL",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects; one TCP connection per request."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.cookies)
        self.opener = urllib.request.build_opener(cookies, _NoRedirect)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def request(
        self, path: str, *, data: dict | None = None, headers: dict | None = None, timeout: float = 15
    ) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=timeout) as reply:
                return Response(reply.status, dict(reply.headers), reply.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read().decode())

    def get(self, path: str, **kwargs) -> Response:
        return self.request(path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Response:
        headers = {"Referer": self.base_url + path, **kwargs.pop("headers", {})}
        return self.request(path, data=data, headers=headers, **kwargs)


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str, poll: Callable[[], None]) -> None:
    """Check ``condition`` until it holds, calling ``poll`` (which waits a little) in between."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        poll()


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int = 1, ready_status: int = 200, options: tuple[str, ...] = ()
) -> Iterator[str]:
    """Run the portal under gunicorn on a free loopback port; yield its base URL; always stop it."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (a file, not a pipe: a full pipe would block gunicorn)
    process = subprocess.Popen(
        [str(GUNICORN), "otg.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), *options],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def ready() -> bool:
        try:
            return Browser(base_url).get("/healthz", timeout=2).status == ready_status
        except OSError:
            return False

    def pause() -> None:
        # Waiting on the process doubles as a short pause and notices a gunicorn that failed to start.
        try:
            process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            return
        log.seek(0)
        raise AssertionError(f"gunicorn exited with {process.returncode}: {log.read()[-3000:]}")

    try:
        wait_until(ready, timeout=60, what="gunicorn to answer /healthz", poll=pause)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def sign_in(browser: Browser) -> None:
    """Sign `browser` in as the demo member through the real sign-in form (a 302 and a session cookie)."""
    from django.urls import reverse

    from members.demo import DEMO_MEMBER_EMAIL, DEMO_MEMBER_PASSWORD

    login = reverse("account_login")
    assert browser.get(login).status == 200
    reply = browser.post(
        login,
        {
            "login": DEMO_MEMBER_EMAIL,
            "password": DEMO_MEMBER_PASSWORD,
            "csrfmiddlewaretoken": browser.cookie("csrftoken"),
        },
    )
    assert reply.status == 302, reply.body[:2000]
    assert browser.cookie("sessionid")
