"""One word for each thing, in the Swedish catalogue and on the pages that show it.

An RSVP is "anmäla sig"/"anmälan", cancelling it "avanmäla"/"avanmäld", and a member's report of an
event "rapportera"/"rapport": with "Anmäl dig" and "Anmäl evenemanget" on one page, the one verb meant
two things. The catalogue is read as the site reads it: the compiled .mo, through gettext.
"""

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from events.models import EventReport
from tests.factories import EventFactory, MemberFactory
from tests.helpers.sessions import force_login_with_second_factor

MO = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.mo"
CONTEXT = "\x04"  # how gettext joins a msgctxt to its msgid


@pytest.fixture(scope="module")
def swedish() -> dict[str, str]:
    with MO.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog
    # A plural's forms are keyed (msgid, n): both forms are checked, under the singular's msgid.
    return {
        (key if isinstance(key, str) else f"{key[0]}[{key[1]}]"): value
        for key, value in catalogue.items()
        if key
    }


KNOWN = {
    "Attend": "Anmäl dig",
    "Cancel attendance": "Avanmäl",
    "cancelled": "avanmäld",
    "Your answer is cancelled.": "Du är avanmäld.",
    "Report this event to staff": "Rapportera evenemanget till personalen",
    "event reports": "rapporter",
    "event report": "rapport",
    f"the event{CONTEXT}No, keep it": "Nej, behåll det",
    "Message to everyone going or waiting": "Meddelande till alla som kommer eller väntar",
}


@pytest.mark.parametrize(("msgid", "msgstr"), KNOWN.items())
def test_the_known_words(swedish, msgid, msgstr):
    assert swedish.get(msgid) == msgstr


def test_a_report_is_rapportera_never_anmala(swedish):
    reports = {k: v for k, v in swedish.items() if "report" in k.lower() and "msgid" not in k}
    assert len(reports) >= 8
    for msgid, msgstr in reports.items():
        assert "rapport" in msgstr.lower(), (msgid, msgstr)
        assert "anmäl" not in msgstr.lower(), (msgid, msgstr)


def test_cancelling_an_answer_is_avanmala_never_avboka(swedish):
    for msgid, msgstr in swedish.items():
        assert "avbok" not in msgstr.lower(), (msgid, msgstr)


def test_no_label_says_optional_itself(swedish):
    # The form template adds "(valfritt)" to every field that may be left empty: a label that said
    # "(frivilligt)" too read "(frivilligt) (valfritt)".
    for msgid, msgstr in swedish.items():
        assert "(frivilligt)" not in msgstr, (msgid, msgstr)


@pytest.mark.parametrize("msgid", ["Unconference", "Job queue", "jobs"])
def test_no_english_left_untranslated(swedish, msgid):
    assert swedish.get(msgid, msgid) != msgid


@pytest.mark.django_db
def test_the_hosts_cancel_form_says_optional_once_and_keeps_the_event(client):
    host = MemberFactory()
    event = EventFactory()
    event.organisers.add(host)
    client.force_login(host)
    page = client.get(reverse("events:host-cancel", args=[event.slug])).content.decode()
    assert "Meddelande till alla som kommer eller väntar" in page
    assert page.count("(valfritt)") == 1 and "(frivilligt)" not in page
    assert "Nej, behåll det" in page and "behåll den" not in page


@pytest.mark.django_db
def test_the_event_page_reports_with_rapportera(client):
    client.force_login(MemberFactory())
    page = client.get(EventFactory(capacity=5).get_absolute_url()).content.decode()
    assert "Anmäl dig" in page
    assert "Rapportera evenemanget" in page and "Anmäl evenemanget" not in page


@pytest.mark.django_db
def test_the_admin_says_rapporter_and_handled_and_names_the_job_queue(client):
    force_login_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    index = client.get(reverse("admin:index")).content.decode()
    assert "Rapporter" in index and "Anmälningar av evenemang" not in index
    assert "Jobbkö" in index and "Procrastinate jobs" not in index
    EventReport.objects.create(event=EventFactory(), reporter=MemberFactory(), reason="Spam")
    reports = client.get(reverse("admin:events_eventreport_changelist")).content.decode()
    assert "Inte hanterad än" in reports
    assert "Inte tom" not in reports
    assert client.get(reverse("admin:events_eventreport_changelist"), {"hanterad": "nej"}).status_code == 200
