"""Mail server down: with EMAIL_URL set, mail is queued in the database and retried, never lost.

The SMTP servers here are real: a loopback port nobody listens on, and an aiosmtpd server on loopback.
"""

import subprocess
import sys

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from mailer.models import RESULT_FAILURE, RESULT_SUCCESS, Message, MessageLog

from tests.servers import ROOT, database_url, free_port, portal_env

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


@pytest.fixture
def production_mail(settings):
    """The settings EMAIL_URL gives in production, with SMTP on a loopback port nobody listens on."""
    settings.EMAIL_BACKEND = "otg.common.mail.QueueBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # bound and released: nothing listens there
    settings.EMAIL_TIMEOUT = 5
    return settings


def test_mail_survives_an_smtp_outage_and_is_delivered_on_retry(production_mail, smtp_server):
    sent = mail.send_mail("Välkommen", "Hej och välkommen!", None, ["ada@example.org"])
    assert sent == 1  # the sending code path returns normally
    assert Message.objects.count() == 1

    call_command("send_mail")  # SMTP refuses the connection: the message is deferred, not lost
    deferred = Message.objects.deferred().get()
    assert deferred.subject == "Välkommen"
    failure = MessageLog.objects.get()
    assert failure.result == RESULT_FAILURE
    assert "refused" in failure.log_message.lower()

    port, inbox = smtp_server
    production_mail.EMAIL_PORT = port
    call_command("retry_deferred")
    call_command("send_mail")

    assert not Message.objects.exists()
    assert MessageLog.objects.filter(result=RESULT_SUCCESS).count() == 1
    assert len(inbox.envelopes) == 1
    delivered = inbox.envelopes[0]
    assert delivered.rcpt_tos == ["ada@example.org"]
    assert "Hej och v" in delivered.content.decode()


def test_deferred_mail_is_listed_in_the_admin(production_mail, admin_client):
    mail.send_mail("Påminnelse", "Glöm inte!", None, ["bo@example.org"])
    call_command("send_mail")
    page = admin_client.get("/admin/mailer/message/")
    assert page.status_code == 200
    assert "Påminnelse" in page.content.decode()


def test_tests_keep_the_locmem_outbox(mailoutbox):
    mail.send_mail("Test", "Body", None, ["cy@example.org"])
    assert len(mailoutbox) == 1
    assert not Message.objects.exists()


def settings_of(env: dict[str, str]) -> str:
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, getattr(s, 'MAILER_EMAIL_BACKEND', '-'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_email_url_queues_mail_and_development_writes_files(settings):
    database = database_url(settings.DATABASES["default"])
    with_url = portal_env(DATABASE_URL=database, EMAIL_URL="smtp+tls://u:p@smtp.example.org:587")
    without_url = {k: v for k, v in portal_env(DATABASE_URL=database).items() if k != "EMAIL_URL"}
    assert settings_of(with_url) == "otg.common.mail.QueueBackend django.core.mail.backends.smtp.EmailBackend"
    assert settings_of(without_url) == "django.core.mail.backends.filebased.EmailBackend -"


@pytest.mark.django_db(transaction=True)
def test_a_production_process_sends_mail_normally_while_smtp_is_down(settings):
    closed = free_port()
    env = portal_env(
        DATABASE_URL=database_url(settings.DATABASES["default"]), EMAIL_URL=f"smtp://127.0.0.1:{closed}"
    )
    for command in (["sendtestemail", "dee@example.org"], ["send_mail"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert Message.objects.deferred().get().to_addresses == ["dee@example.org"]


def _parts(envelope) -> dict[str, str]:
    import email
    from email import policy

    message = email.message_from_bytes(envelope.content, policy=policy.default)
    parts = {"subject": str(message["subject"])}
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/calendar"):
            parts[part.get_content_type()] = part.get_content()
    return parts


def test_an_rsvp_confirmation_is_queued_unrendered_and_rendered_on_delivery(
    production_mail, smtp_server, django_capture_on_commit_callbacks
):
    from events import services
    from tests.factories import EventFactory, MemberFactory

    event = EventFactory(title="Frukost om klarspråk")
    member = MemberFactory(name="Ada Lind", preferred_language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_create(event=event, member=member)
    queued = Message.objects.get()
    # The request stored what to render, not the text: templates, calendar and MIME wait for the job.
    assert queued.email.rendered is False and queued.email.body == ""
    assert queued.to_addresses == [member.email]

    production_mail.EMAIL_PORT = smtp_server[0]
    call_command("send_mail")

    (envelope,) = smtp_server[1].envelopes
    parts = _parts(envelope)
    assert "Du kommer: Frukost om klarspråk" in parts["subject"]
    assert "Hej Ada Lind!" in parts["text/plain"] and "Du kommer. Välkommen!" in parts["text/plain"]
    assert "BEGIN:VCALENDAR" in parts["text/calendar"] and "Frukost om klarspråk" in parts["text/calendar"]
    assert not Message.objects.exists()


def test_a_queued_mail_to_a_member_who_left_is_never_sent(
    production_mail, smtp_server, django_capture_on_commit_callbacks
):
    from events import services
    from members.services import member_delete
    from tests.factories import EventFactory, MemberFactory

    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_create(event=EventFactory(), member=member)
    assert Message.objects.count() == 1
    member_delete(member=member)

    production_mail.EMAIL_PORT = smtp_server[0]
    call_command("send_mail")

    assert smtp_server[1].envelopes == []
    assert not Message.objects.filter(message_data__contains=member.email).exists()


@pytest.mark.django_db(transaction=True)
def test_queueing_one_message_is_one_insert_without_a_transaction_of_its_own(production_mail, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.ensure_connection()  # a new connection switches autocommit on: not what is counted
    transactions = []
    original = connection.set_autocommit
    monkeypatch.setattr(
        connection, "set_autocommit", lambda value, **kw: (transactions.append(value), original(value, **kw))
    )
    with CaptureQueriesContext(connection) as queries:
        assert mail.send_mail("Hej", "Välkommen!", None, ["eva@example.org"]) == 1
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
    assert False not in transactions  # no BEGIN: DbBackend's bulk_create wrapped it in BEGIN ... COMMIT
    assert Message.objects.get().to_addresses == ["eva@example.org"]
    # Several at once still go through django-mailer's own batch insert.
    mail.send_mass_mail([("A", "a", None, ["a@example.org"]), ("B", "b", None, ["b@example.org"])])
    assert Message.objects.count() == 3
