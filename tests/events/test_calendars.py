from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.models import Event
from events.services.events import event_cancel, event_save
from events.services.exports import calendar_token_get
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _events(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_event_ics_has_uid_sequence_alarm_and_utc_times(client):
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    event = EventFactory(title="Frukost om data", start=start, end=start + timedelta(hours=1))
    response = client.get(reverse("events:event-ics", args=[event.slug]))
    assert f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%S}Z" in response.content.decode()
    component = _events(client.get(reverse("events:event-ics", args=[event.slug])))[0]
    assert component["SUMMARY"] == "Frukost om data"
    assert component["UID"] == f"event-{event.uid}@onegov.se"
    assert component["SEQUENCE"] == 0
    assert component["STATUS"] == "CONFIRMED"
    assert component["DTSTART"].dt == event.start.astimezone(UTC)
    assert component["DTSTART"].dt.tzinfo is not None
    assert component["DTEND"].dt == event.end.astimezone(UTC)
    assert "Göteborg" in component["LOCATION"]
    alarm = component.walk("VALARM")[0]
    assert alarm["TRIGGER"].dt == timedelta(hours=-1)


def test_event_ics_uid_stays_and_sequence_rises_on_change_and_cancel(client):
    event = EventFactory()
    url = reverse("events:event-ics", args=[event.slug])
    before = _events(client.get(url))[0]
    event.start += timedelta(days=1)
    event.end += timedelta(days=1)
    event_save(event=event, changed_fields=["start", "end"])
    moved = _events(client.get(url))[0]
    event_cancel(event=event)
    cancelled = _events(client.get(url))[0]
    assert before["UID"] == moved["UID"] == cancelled["UID"]
    assert (before["SEQUENCE"], moved["SEQUENCE"], cancelled["SEQUENCE"]) == (0, 1, 2)
    assert cancelled["STATUS"] == "CANCELLED"


def test_public_feed_lists_published_upcoming_only(client):
    EventFactory(title="Publicerat")
    EventFactory(title="Utkast", status=Event.Status.DRAFT)
    EventFactory(title="Passerat", start=timezone.now() - timedelta(days=3))
    summaries = [str(c["SUMMARY"]) for c in _events(client.get(reverse("events:public-feed")))]
    assert summaries == ["Publicerat"]


def test_public_feed_is_rendered_once_and_follows_every_change(client, commit):
    event = EventFactory(title="Frukostmöte")
    for n in range(20):
        EventFactory(title=f"Meetup {n}")
    client.get(reverse("events:public-feed"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("events:public-feed"))
    assert not [q for q in queries.captured_queries if '"events_event"."title"' in q["sql"]]
    event.title = "Frukostmöte i Luleå"
    with commit():
        event.save()
    summaries = [str(c["SUMMARY"]) for c in _events(client.get(reverse("events:public-feed")))]
    assert "Frukostmöte i Luleå" in summaries and "Frukostmöte" not in summaries
    with commit():
        EventFactory(title="Nytt evenemang")
    assert "Nytt evenemang" in str(client.get(reverse("events:public-feed")).content, "utf-8")


def test_public_feed_is_compressed_for_clients_that_accept_it(client):
    for n in range(5):
        EventFactory(title=f"Meetup {n}")
    response = client.get(reverse("events:public-feed"), headers={"accept-encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_member_feed_has_going_events_not_waitlisted(client):
    member = MemberFactory()
    going = EventFactory(title="Jag kommer hit")
    full = EventFactory(title="Fullt", capacity=1)
    EventFactory(title="Inte anmäld")
    rsvp_create(event=going, member=member)
    rsvp_create(event=full, member=MemberFactory())
    rsvp_create(event=full, member=member)
    token = calendar_token_get(member=member).token
    summaries = [str(c["SUMMARY"]) for c in _events(client.get(reverse("events:member-feed", args=[token])))]
    assert summaries == ["Jag kommer hit"]


def test_member_feed_with_unknown_token_is_not_found(client):
    assert client.get(reverse("events:member-feed", args=["gissning"])).status_code == 404


def test_calendars_say_the_event_text_is_swedish_to_an_english_reader(client):
    event = EventFactory(title="Frukost om data")
    for path in (reverse("events:event-ics", args=[event.slug]), reverse("events:public-feed")):
        component = _events(client.get(path, HTTP_ACCEPT_LANGUAGE="en"))[0]
        assert component["SUMMARY"].params["LANGUAGE"] == "sv"
        assert component["DESCRIPTION"].params["LANGUAGE"] == "sv"
