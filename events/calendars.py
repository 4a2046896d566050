"""iCalendar files for one event and for the public and private feeds, built with icalendar.

Times are written in UTC (no VTIMEZONE needed); every event has a UID that never changes and a
SEQUENCE that rises with each change of time, place or status, so calendar apps update, not duplicate.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar
from icalendar import Event as IcsEvent

from events.models import Event
from otg.common.caching import cached, fragment_key, generations
from otg.common.text import clean_line, clean_text

PRODID = "-//One Team Gov Sverige//Evenemang//SV"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", clean_line(name))
    return calendar


def _component(event: Event) -> IcsEvent:
    url = settings.SITE_URL + event.get_absolute_url()
    component = IcsEvent()
    component.add("uid", f"event-{event.uid}@onegov.se")
    component.add("dtstamp", timezone.now().astimezone(UTC))
    component.add("dtstart", event.start.astimezone(UTC))
    component.add("dtend", event.end.astimezone(UTC))
    component.add("sequence", event.sequence)
    # RFC 5545 forbids control characters in TEXT, and icalendar writes them through: clean every text.
    title = clean_line(event.title)
    component.add("summary", title)
    component.add("description", clean_text(f"{event.summary}\n\n{url}"))
    component.add("url", url)
    component.add("last-modified", event.updated_at.astimezone(UTC))
    location = ", ".join(clean_line(p) for p in (event.venue_name, event.address, event.city) if p)
    if event.format == Event.Format.ONLINE:
        location = _("Online")
    if location:
        component.add("location", location)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", timedelta(hours=-1))
    component.add_component(alarm)
    return component


def _to_bytes(calendar: Calendar) -> bytes:
    return calendar.to_ical()


def event_calendar(event: Event) -> bytes:
    calendar = _calendar(event.title)
    calendar.add_component(_component(event))
    return _to_bytes(calendar)


def events_calendar(events: Iterable[Event], *, name: str) -> bytes:
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_component(event))
    return _to_bytes(calendar)


def public_calendar() -> bytes:
    """The public feed of published upcoming events, rendered once per generation of events.

    Calendar apps poll this feed often and it grows with every event. Its key holds the generation of
    events (bumped by every write to an event or an RSVP, and moved on when an event ends) and the
    language: the feed's words ("Online") are translated.
    """
    key = fragment_key("events:public-calendar", generations("events"), get_language())
    return cached(key, lambda: events_calendar(Event.objects.for_calendar(), name="One Team Gov Sverige"))
