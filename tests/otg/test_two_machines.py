"""Past one machine, with real parts: two gunicorn servers and two job workers on one PostgreSQL, with a
real Redis (Debian's redis-server, started here) as the shared cache, as docs/deploy.md describes.

Each server is its own process with its own per-worker page and fragment caches, as two app machines
would be. What must hold across them: an RSVP through one server is shown at once by the other (the
generations live in Redis); each job is run by one worker only, though both take jobs; allauth's limit
on failed sign-ins counts the attempts of both servers together (the counts live in Redis). The
control gives the two servers separate Redis databases: then the other server keeps its stale page
and the attacker's address gets in, which shows the tests can fail.
"""

import asyncio
import http.cookiejar
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack, contextmanager
from datetime import timedelta

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob, ProcrastinateWorker

from tests.factories import EventFactory, MemberFactory
from tests.helpers.servers import Browser, database_url, free_port, gunicorn, portal_env, wait_until
from tests.helpers.smtp import Inbox, smtp_server, wait_for, worker, worker_env

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUEUE_TABLES = (
    "procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers"
)
LOGIN = "/konto/login/"
WRONG = "E-postadressen och/eller lösenordet är felaktigt."
TOO_MANY = "För många misslyckade inloggningsförsök. Försök igen senare."
LIMIT = 10  # failed sign-ins per address and minute (ACCOUNT_RATE_LIMITS["login_failed"])
ATTACKER = "203.0.113.7"


@contextmanager
def redis_server():
    """Debian's redis-server on a free loopback port, nothing kept on disk; its base URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "no redis-server: sudo apt-get install -y redis-server"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: .ci/run installs it)")
        pytest.skip(message)
    port = free_port()
    folder = tempfile.TemporaryDirectory()
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (a file, not a pipe that could fill up)
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder.name,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)

    def answers() -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def pause() -> None:
        if process.poll() is not None:
            log.seek(0)
            raise AssertionError(f"redis-server exited with {process.returncode}: {log.read()[-2000:]}")
        time.sleep(0.1)

    try:
        wait_until(answers, timeout=20, what="redis-server to answer PING", poll=pause)
        yield f"redis://127.0.0.1:{port}"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=20)
        log.close()
        folder.cleanup()


@pytest.fixture
def queue_tables():
    """Procrastinate's tables are not Django's: a transactional test's flush leaves them."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {QUEUE_TABLES} CASCADE")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {QUEUE_TABLES} CASCADE")


@contextmanager
def two_servers(cache_urls: tuple[str, str], **extra: str):
    """Two gunicorn servers on the test database, each with its own CACHE_URL; their base URLs."""
    database = database_url(django_settings.DATABASES["default"])
    with ExitStack() as stack:
        yield tuple(
            stack.enter_context(gunicorn(portal_env(DATABASE_URL=database, CACHE_URL=url, **extra)))
            for url in cache_urls
        )


def signed_in(base_url: str, member) -> Browser:
    """A browser on ``base_url`` with a session of ``member`` (stored where every server reads it)."""
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = django_settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    browser = Browser(base_url)
    cookie = http.cookiejar.Cookie(
        *(0, "sessionid", session.session_key, None, False, "127.0.0.1", False, False, "/", True, False),
        *(None, True, None, None, {}),
    )
    browser.cookies.set_cookie(cookie)
    return browser


def rsvp(browser: Browser, event) -> None:
    assert browser.get(event.get_absolute_url()).status == 200  # the CSRF cookie, as a browser gets it
    reply = browser.post(
        event.get_absolute_url() + "anmalan/",
        {"show_publicly": "on", "csrfmiddlewaretoken": browser.cookie("csrftoken")},
    )
    assert reply.status == 302, reply.body[-2000:]


def pages_after_an_rsvp(one: str, other: str) -> dict[str, str]:
    """The other server renders and keeps the pages; an RSVP through one fills the event; the other's
    pages as they are the moment after."""
    full = EventFactory(title="Evenemanget X", capacity=1, start=timezone.now() + timedelta(days=2))
    EventFactory(title="Evenemanget Y", capacity=3, start=timezone.now() + timedelta(days=3))
    paths = {"event page": full.get_absolute_url(), "event list": "/evenemang/", "home": "/"}
    reader = Browser(other)
    for path in paths.values():
        assert "Evenemanget X" in reader.get(path).body
    rsvp(signed_in(one, MemberFactory(name="Rut Svarar", is_public=True)), full)
    return {name: reader.get(path).body for name, path in paths.items()}


def sign_in_attempts(one: str, other: str) -> list:
    """Ten wrong passwords from one address, alternating between the servers, then the right one."""
    member = MemberFactory()
    browsers = [Browser(one), Browser(other)]
    for browser in browsers:
        assert browser.get(LOGIN).status == 200

    def attempt(browser: Browser, password: str):
        return browser.post(
            LOGIN,
            {"login": member.email, "password": password, "csrfmiddlewaretoken": browser.cookie("csrftoken")},
            headers={"X-Forwarded-For": ATTACKER},
        )

    replies = [attempt(browsers[n % 2], f"wrong-password-{n}") for n in range(LIMIT)]
    return [*replies, attempt(browsers[1], "correct-horse-battery")]


def test_an_rsvp_through_one_server_shows_at_once_on_the_other(queue_tables):
    with redis_server() as url, two_servers((url + "/0", url + "/0")) as (one, other):
        pages = pages_after_an_rsvp(one, other)
        # The shared cache is Redis: the generations the pages were kept under are there.
        kept = redis.Redis.from_url(url + "/0").keys("*")
    assert "Rut Svarar" in pages["event page"]
    assert "<strong>Fullt</strong>" in pages["event page"]
    card = pages["event list"].split("Evenemanget X", 1)[1].split("</li>", 1)[0]
    assert "Fullt: väntelistan är öppen" in card
    assert "Evenemanget X" not in pages["home"] and "Evenemanget Y" in pages["home"]
    assert any(b"generation:events" in key for key in kept), kept


class SlowInbox(Inbox):
    """An SMTP server that takes a fifth of a second per message: one worker alone cannot keep up."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.2)
        return await super().handle_DATA(server, session, envelope)


def test_two_workers_behind_two_servers_run_each_job_once(queue_tables):
    event = EventFactory(title="Frukost för alla", capacity=100, start=timezone.now() + timedelta(days=5))
    members = [MemberFactory(preferred_language="sv") for _ in range(24)]
    with (
        redis_server() as url,
        smtp_server(inbox=SlowInbox()) as (port, inbox),
        two_servers((url + "/0", url + "/0")) as servers,
    ):
        # One job at a time each, so that neither can take them all.
        database = django_settings.DATABASES["default"]
        env = worker_env(database, port, CACHE_URL=url + "/0", JOBS_CONCURRENCY="1")
        with worker(env) as first, worker(env) as second:
            wait_for(
                lambda: ProcrastinateWorker.objects.count() == 2,
                timeout=60,
                what="both workers to be listening",
                processes=(first, second),
            )
            for number, member in enumerate(members):  # through both servers, turn about
                rsvp(signed_in(servers[number % 2], member), event)
            jobs = ProcrastinateJob.objects.filter(task_name="event_mail_send")
            wait_for(
                lambda: len(inbox.envelopes) >= len(members) and not jobs.exclude(status="succeeded"),
                timeout=90,
                what="every confirmation",
                processes=(first, second),
            )
            # Read while they run: a worker that stops leaves its jobs without a worker.
            takers = set(jobs.values_list("worker_id", flat=True))
    recipients = sorted(address for envelope in inbox.envelopes for address in envelope.rcpt_tos)
    assert recipients == sorted(member.email for member in members)  # each once
    assert all("Frukost för alla" in subject for subject in inbox.subjects())
    assert jobs.count() == len(members)
    assert set(jobs.values_list("attempts", flat=True)) == {1}
    assert len(takers) == 2  # both took part


def test_failed_sign_ins_through_two_servers_count_together(settings, queue_tables):
    # The servers know the production hashers only, not the tests' fast MD5.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    with redis_server() as url, two_servers((url + "/0", url + "/0"), DJANGO_BEHIND_PROXY="true") as servers:
        replies = sign_in_attempts(*servers)
    assert all(reply.status == 200 and WRONG in reply.body for reply in replies[:-1])
    refused = replies[-1]  # five attempts on each server: only together do they reach the limit
    assert refused.status in (200, 429)
    assert TOO_MANY in refused.body


def test_control_two_servers_on_separate_redis_databases_share_nothing(settings, queue_tables):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    with (
        redis_server() as url,
        two_servers((url + "/0", url + "/1"), DJANGO_BEHIND_PROXY="true") as (one, other),
    ):
        pages = pages_after_an_rsvp(one, other)
        replies = sign_in_attempts(one, other)
    assert "Rut Svarar" not in pages["event page"]  # the other server kept its page
    assert "Evenemanget X" in pages["home"]
    assert replies[-1].status == 302  # each server counted five: the attacker's address got in
