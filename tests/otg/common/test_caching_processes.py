"""Two servers, one database and one shared cache: an RSVP through one is at once shown by the other.

Each server is its own gunicorn process with its own per-worker fragment cache. The generations live
in the shared (database) cache, so the RSVP's bump reaches the other server's next request. The control
gives each server a per-process cache for the generations too: then the other server keeps serving
the page it rendered before the RSVP, which shows the test can fail.
"""

import http.cookiejar
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.factories import EventFactory, MemberFactory
from tests.helpers.servers import Browser, database_url, gunicorn, portal_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"},
    }
    call_command("createcachetable")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_cache")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_cache")


def signed_in(browser: Browser, member) -> None:
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = django_settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    browser.cookies.set_cookie(_cookie("sessionid", session.session_key))


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, True, None, None, {}
    )


def pages_after_an_rsvp(settings, cache_url: str | None) -> dict[str, str]:
    full = EventFactory(title="Evenemanget X", capacity=1, start=timezone.now() + timedelta(days=2))
    EventFactory(title="Evenemanget Y", capacity=3, start=timezone.now() + timedelta(days=3))
    rsvper = MemberFactory(name="Rut Svarar", is_public=True)
    extra = {"CACHE_URL": cache_url} if cache_url else {}
    env = {
        k: v
        for k, v in portal_env(DATABASE_URL=database_url(settings.DATABASES["default"]), **extra).items()
        if cache_url or k != "CACHE_URL"  # unset: the default database cache
    }
    paths = {"event page": full.get_absolute_url(), "event list": "/evenemang/", "home": "/"}
    with gunicorn(env) as one, gunicorn(env) as other:
        reader = Browser(other)
        for path in paths.values():  # the other server renders and keeps every page first
            assert "Evenemanget X" in reader.get(path).body
        writer = Browser(one)
        signed_in(writer, rsvper)
        assert writer.get(full.get_absolute_url()).status == 200
        reply = writer.post(
            full.get_absolute_url() + "anmalan/",
            {"show_publicly": "on", "csrfmiddlewaretoken": writer.cookie("csrftoken")},
        )
        assert reply.status == 302
        return {name: reader.get(path).body for name, path in paths.items()}


def test_an_rsvp_through_one_server_shows_at_once_on_the_other(settings, database_cache):
    pages = pages_after_an_rsvp(settings, cache_url=None)
    assert "Rut Svarar" in pages["event page"]
    assert "<strong>Fullt</strong>" in pages["event page"]
    x_card = pages["event list"].split("Evenemanget X", 1)[1].split("</li>", 1)[0]
    assert "Fullt: väntelistan är öppen" in x_card
    assert "Evenemanget X" not in pages["home"] and "Evenemanget Y" in pages["home"]


def test_control_per_process_generations_leave_the_other_server_stale(settings, database_cache):
    pages = pages_after_an_rsvp(settings, cache_url="locmemcache://")
    assert "Rut Svarar" not in pages["event page"]
    assert "Evenemanget X" in pages["home"]
