"""Failed sign-ins slow the attacker's address, not the victim's account, also over two gunicorn workers.

allauth 65's default `login_failed` limit, "10/m/ip,5/300s/key", let anyone lock a member out with five
wrong passwords. Ours (ACCOUNT_RATE_LIMITS) counts per client address first: after ten failures the
attacker's address is refused, even with the right password, while the member signs in from their own.
(The account's own, looser limit, for attackers spread over many addresses, is
tests/safety/test_account_limits.py.)
The limit lives in the cache; with the database cache both workers count the same attempts. The
control runs the same attempts against a per-process memory cache: there each worker counts only its
own attempts, and the attacker's address gets in.
"""

import socket
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import MemberFactory
from tests.helpers.servers import Browser, database_url, gunicorn, portal_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

LOGIN = "/konto/login/"
WRONG = "E-postadressen och/eller lösenordet är felaktigt."
TOO_MANY = "För många misslyckade inloggningsförsök. Försök igen senare."
LIMIT = 10  # failed sign-ins per address and minute (ACCOUNT_RATE_LIMITS["login_failed"])
ATTACKER, VICTIM = "203.0.113.7", "198.51.100.9"


class HeldLogin:
    """A login POST sent in two halves over its own connection.

    Between the halves, the sync worker that accepted the connection is busy reading it, so every
    other request is served by the other worker: the attempts are spread over both, for certain.
    """

    def __init__(self, base_url: str, csrf: str, email: str, password: str):
        body = urlencode({"login": email, "password": password, "csrfmiddlewaretoken": csrf}).encode()
        head = (
            f"POST {LOGIN} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            f"Cookie: csrftoken={csrf}\r\nX-Forwarded-For: {ATTACKER}\r\n\r\n"
        ).encode()
        address = urlsplit(base_url)
        self.sock = socket.create_connection((address.hostname, address.port), timeout=20)
        self.sock.sendall(head + body[:5])
        self.rest = body[5:]

    def finish(self) -> str:
        self.sock.sendall(self.rest)
        reply = b""
        while chunk := self.sock.recv(65536):
            reply += chunk
        self.sock.close()
        return reply.decode(errors="replace")


def attempt(browser: Browser, email: str, password: str, *, address: str = ATTACKER):
    return browser.post(
        LOGIN,
        {"login": email, "password": password, "csrfmiddlewaretoken": browser.cookie("csrftoken")},
        headers={"X-Forwarded-For": address},
    )


def served_by(access_log: Path) -> list[str]:
    """The pid of the worker that served each login POST, from gunicorn's access log."""
    lines = access_log.read_text().splitlines()
    return [line.split()[0] for line in lines if f"POST {LOGIN}" in line]


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
    }
    call_command("createcachetable")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_cache")  # no attempts left over from an earlier run
    yield
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_cache")


def run_attempts(settings, tmp_path, cache_url: str | None) -> tuple[list, list[str], object]:
    # The portal under gunicorn knows the production hashers only, not the tests' fast MD5.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    member = MemberFactory()
    access_log = tmp_path / "access.log"
    # Behind a proxy that names the client: the attacker and the member come from two addresses.
    extra = {"CACHE_URL": cache_url} if cache_url else {}
    extra["DJANGO_BEHIND_PROXY"] = "true"
    env = {
        k: v
        for k, v in portal_env(DATABASE_URL=database_url(settings.DATABASES["default"]), **extra).items()
        if cache_url or k != "CACHE_URL"  # unset: the default database cache
    }
    options = ("--access-logfile", str(access_log), "--access-logformat", "%(p)s %(r)s %(s)s")
    with gunicorn(env, workers=2, options=options) as base_url:
        browser = Browser(base_url)
        assert browser.get(LOGIN).status == 200
        csrf = browser.cookie("csrftoken")

        held = HeldLogin(base_url, csrf, member.email, "wrong-password-1")
        replies = [attempt(browser, member.email, "wrong-password-2")]
        held_reply = held.finish()
        assert held_reply.startswith("HTTP/1.1 200")
        assert WRONG in held_reply
        for n in range(3, LIMIT + 1):
            replies.append(attempt(browser, member.email, f"wrong-password-{n}"))
        replies.append(attempt(browser, member.email, "correct-horse-battery"))
        victim = Browser(base_url)
        victim.get(LOGIN)
        victim_reply = attempt(victim, member.email, "correct-horse-battery", address=VICTIM)
    return replies, served_by(access_log), victim_reply


def test_failed_sign_ins_over_two_workers_slow_the_address_not_the_account(
    settings, tmp_path, database_cache
):
    replies, pids, victim_reply = run_attempts(settings, tmp_path, cache_url=None)

    assert len(set(pids)) == 2, pids  # both workers served attempts, so neither saw all of them
    for reply in replies[:-1]:
        assert reply.status == 200
        assert WRONG in reply.body
    refused = replies[-1]
    assert refused.status in (200, 429)
    assert TOO_MANY in refused.body  # the attacker's address is refused, even with the right password
    assert victim_reply.status == 302  # the member, from their own address, signs in at once


def test_control_a_per_process_cache_lets_the_attackers_address_in(settings, tmp_path):
    replies, pids, _victim = run_attempts(settings, tmp_path, cache_url="locmemcache://")

    assert len(set(pids)) == 2, pids
    assert all(WRONG in reply.body for reply in replies[:-1])
    assert replies[-1].status == 302  # each worker counted fewer than ten: the limit did not hold
