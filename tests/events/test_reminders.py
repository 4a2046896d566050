"""The reminder says the day in words true when it is sent, and how to join an online or hybrid event."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from events.services.rsvps import rsvp_create
from events.tasks import event_reminders_send
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ONLINE = {"format": "online", "online_url": "https://meet.example.org/frukost"}


@pytest.fixture
def remind(mailoutbox, django_capture_on_commit_callbacks):
    def reminder(*, start: datetime, sent: datetime, language="sv", **event):
        """The reminder as the periodic job sends it at ``sent``, for an event at ``start``."""
        with time_machine.travel(sent - timedelta(days=3), tick=False):
            event = EventFactory(title="Frukost", start=start, end=start + timedelta(hours=1), **event)
            with django_capture_on_commit_callbacks(execute=True):
                rsvp_create(event=event, member=MemberFactory(preferred_language=language))
        mailoutbox.clear()
        with time_machine.travel(sent, tick=False), django_capture_on_commit_callbacks(execute=True):
            event_reminders_send(timestamp=0)
        (sent_mail,) = mailoutbox
        return sent_mail

    return reminder


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2027, Stockholm time."""
    return datetime(2027, 3, day, hour, minute, tzinfo=STOCKHOLM)


def test_a_reminder_45_minutes_before_says_today(remind):
    reminder = remind(start=_at(10, 10, 15), sent=_at(10, 9, 30))
    assert reminder.subject.endswith("I dag 10.15: Frukost")
    assert "i dag 10.15" in reminder.body
    assert "morgon" not in reminder.subject + reminder.body


def test_a_reminder_the_evening_before_says_tomorrow(remind):
    reminder = remind(start=_at(10, 10, 15), sent=_at(9, 18))
    assert reminder.subject.endswith("I morgon 10.15: Frukost")
    assert "i morgon 10.15" in reminder.body


def test_across_midnight_the_day_is_that_of_stockholm(remind):
    # 23.50 in Stockholm is 22.50 UTC: the event at 00.30 is tomorrow there, whatever UTC's date says.
    late = remind(start=_at(11, 0, 30), sent=_at(10, 23, 50))
    assert late.subject.endswith("I morgon 00.30: Frukost")
    # Ten minutes after midnight, an event that morning is today; 00.50 is 23.50 UTC the day before.
    early = remind(start=_at(11, 9), sent=_at(11, 0, 50))
    assert early.subject.endswith("I dag 09.00: Frukost")


def test_the_english_forms(remind):
    today = remind(start=_at(10, 10, 15), sent=_at(10, 9, 30), language="en")
    assert today.subject.endswith("Today at 10:15: Frukost")
    assert "you are coming to this event today at 10:15" in today.body
    tomorrow = remind(start=_at(10, 10, 15), sent=_at(9, 18), language="en")
    assert tomorrow.subject.endswith("Tomorrow at 10:15: Frukost")


def test_an_online_event_says_when_and_where_the_link_appears(remind, settings):
    settings.EVENT_ONLINE_LINK_LEAD = timedelta(minutes=60)
    reminder = remind(start=_at(10, 10, 15), sent=_at(9, 18), **ONLINE)
    said = (
        "Länken för att delta digitalt visas på evenemangssidan och under Mina evenemang i morgon 09.15, "
        "60 minuter före start:"
    )
    assert said in reminder.body
    assert "/evenemang/" in reminder.body.split(said)[1]  # the event page's address follows
    assert "meet.example.org" not in reminder.body  # the link itself only on the page, to those going


def test_a_hybrid_event_45_minutes_before_says_the_link_is_there_now(remind, settings):
    settings.EVENT_ONLINE_LINK_LEAD = timedelta(minutes=60)
    hybrid = {**ONLINE, "format": "hybrid"}
    english = remind(start=_at(10, 10, 15), sent=_at(10, 9, 30), language="en", **hybrid)
    assert "The link to join online is on the event page and under My events now:" in english.body


def test_an_event_on_site_says_nothing_of_a_link(remind):
    reminder = remind(start=_at(10, 10, 15), sent=_at(9, 18))
    assert "Länken" not in reminder.body


def test_my_events_shows_the_link_when_the_reminder_says_it_does(client, settings):
    settings.EVENT_ONLINE_LINK_LEAD = timedelta(minutes=60)
    member = MemberFactory()
    with time_machine.travel(_at(8, 12), tick=False):
        event = EventFactory(title="Frukost", start=_at(10, 10, 15), end=_at(10, 11, 15), **ONLINE)
        rsvp_create(event=event, member=member)
    with time_machine.travel(_at(10, 9, 10), tick=False):  # five minutes before the link appears
        client.force_login(member)
        assert "meet.example.org" not in client.get(reverse("events:my-events")).content.decode()
    with time_machine.travel(_at(10, 9, 15), tick=False):
        page = client.get(reverse("events:my-events")).content.decode()
    assert 'href="https://meet.example.org/frukost"' in page and "Delta digitalt: Frukost" in page
