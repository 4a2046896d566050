"""Database down: a real PostgreSQL is stopped under a running gunicorn and started again.

The portal answers 503 with its friendly page while the database is away, /healthz fails, and the same
gunicorn process serves pages again once the database is back (CONN_HEALTH_CHECKS), without a restart.
"""

import shutil
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

from members.demo import DEMO_MEMBER_EMAIL
from otg.embedded_db import ensure_server, stop_server
from otg.site.views import server_error
from tests.helpers.servers import Browser, database_url, gunicorn, manage, portal_env, sign_in
from tests.helpers.smtp import smtp_server

MEMBER_PK = f"from members.models import Member; print(Member.objects.get(email='{DEMO_MEMBER_EMAIL}').pk)"


@pytest.fixture
def own_postgres():
    # A short folder: the unix socket's path must stay under about 107 bytes.
    folder = Path(tempfile.mkdtemp(prefix="otgdown", dir="/tmp"))
    pgdata = folder / "pg"
    socket_dir = ensure_server(pgdata, "otg")
    try:
        yield pgdata, socket_dir
    finally:
        stop_server(pgdata)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["without admins", "with admins"])
def error_mail(request):
    """Without DJANGO_ADMINS, or with it and a real SMTP server that receives the error reports."""
    if request.param == "without admins":
        yield {}, None
        return
    with smtp_server() as (port, inbox):
        yield {"DJANGO_ADMINS": "ops@example.org", "EMAIL_URL": f"smtp://127.0.0.1:{port}"}, inbox


def timed_get(browser: Browser, path: str):
    started = time.monotonic()
    reply = browser.get(path)
    return reply, time.monotonic() - started


@pytest.mark.e2e
def test_portal_answers_503_while_the_database_is_down_and_recovers_without_restart(own_postgres, error_mail):
    pgdata, socket_dir = own_postgres
    mail_env, inbox = error_mail
    env = portal_env(DATABASE_URL=database_url({"NAME": "otg", "HOST": str(socket_dir)}), **mail_env)
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)
    manage("load_demo", env=env)
    member_pk = manage("shell", "-c", MEMBER_PK, env=env).stdout.split()[-1]

    with gunicorn(env) as base_url:
        member = Browser(base_url)
        sign_in(member)
        home = member.get("/")
        assert home.status == 200
        assert "Logga ut" in home.body  # signed in: the session lives in the database
        profile = reverse("members:member-detail", args=[member_pk])
        assert member.get(profile).status == 200
        anonymous = Browser(base_url)
        assert anonymous.get("/healthz").status == 200

        stop_server(pgdata)

        # Every page: the friendly 503 at once. An error report that needed the database (the queue)
        # made each page wait seconds and end in gunicorn's bare 500 instead.
        for path in ("/", "/evenemang/", "/intervjuer/", "/sok/?q=klarspr%C3%A5k", profile, "/healthz"):
            for browser in (member, anonymous):
                reply, seconds = timed_get(browser, path)
                assert reply.status == 503, (path, reply.status, reply.body[:300])
                assert seconds < 2, (path, seconds)
                if path != "/healthz":
                    assert "Portalen vilar en stund" in reply.body
        down = member.get("/")
        assert down.status == 503
        assert "Portalen vilar en stund" in down.body
        assert 'class="site-header"' in down.body  # in the site layout
        assert down.headers["Retry-After"] == "30"
        assert "unsafe-inline" not in down.headers["Content-Security-Policy"]
        assert anonymous.get("/healthz").status == 503
        assert anonymous.get(profile).status == 503  # no session: the view's own query fails
        assert member.get("/admin/").status == 503

        ensure_server(pgdata, "otg")

        assert anonymous.get("/healthz").status == 200
        back = member.get("/")
        assert back.status == 200
        assert "Logga ut" in back.body  # the same session, the same gunicorn
        assert member.get(profile).status == 200
    if inbox is not None:
        # The reports went straight to the mail server, and a flood of them is limited.
        assert 1 <= len(inbox.envelopes) <= settings.ERROR_MAIL_LIMIT
        assert all(e.rcpt_tos == ["ops@example.org"] for e in inbox.envelopes)


def test_the_503_page_renders_without_touching_the_database():
    # No django_db mark: pytest-django fails any query here, so the page needs no database at all.
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(None)
    assert response.status_code == 503
    assert "Portalen vilar en stund" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_other_errors_still_get_the_500_page():
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(None)
    assert response.status_code == 500
