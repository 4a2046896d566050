"""iCalendar files for one event and for the public and private feeds, built with icalendar.

Times are written in UTC (no VTIMEZONE needed); every event has a UID that never changes and a
SEQUENCE that rises with each change of time, place or status, so calendar apps update, not duplicate.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar
from icalendar import Event as IcsEvent

from events.models import Event
from otg.common.caching import cached, fragment_key
from otg.common.text import clean_line, clean_text

PRODID = "-//One Team Gov Sverige//Evenemang//SV"
CONTENT_LANGUAGE = "sv"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", clean_line(name))
    return calendar


def _component(event: Event, note: str = "") -> IcsEvent:
    url = settings.SITE_URL + event.get_absolute_url()
    component = IcsEvent()
    component.add("uid", f"event-{event.uid}@onegov.se")
    component.add("dtstamp", timezone.now().astimezone(UTC))
    component.add("dtstart", event.start.astimezone(UTC))
    component.add("dtend", event.end.astimezone(UTC))
    component.add("sequence", event.sequence)
    # RFC 5545 forbids control characters in TEXT, and icalendar writes them through: clean every text.
    # The events are written in Swedish whatever the reader's language (RFC 5545 LANGUAGE, WCAG 3.1.2).
    title = clean_line(event.title)
    component.add("summary", title, parameters={"LANGUAGE": CONTENT_LANGUAGE})
    if note:
        # What changed, first, in the reader's language (a change notice's attachment): the text as a
        # whole is then in two languages, so it claims neither.
        component.add("description", clean_text(f"{note}\n\n{event.summary}\n\n{url}"))
    else:
        component.add(
            "description", clean_text(f"{event.summary}\n\n{url}"), parameters={"LANGUAGE": CONTENT_LANGUAGE}
        )
    component.add("url", url)
    component.add("last-modified", event.updated_at.astimezone(UTC))
    if location := _location(event):
        component.add("location", location)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", timedelta(hours=-1))
    component.add_component(alarm)
    return component


def _location(event: Event) -> str:
    if event.format == Event.Format.ONLINE:
        return str(_("Online"))
    # Single-line parts, whatever was pasted into them: a line break would end the property.
    return ", ".join(clean_line(p) for p in (event.venue_name, event.address, event.city) if p)


def _utc(value, pattern: str) -> str:
    return value.astimezone(UTC).strftime(pattern)


def google_calendar_url(event: Event) -> str:
    """A plain link that opens Google Calendar with the event filled in (no script, no account of ours)."""
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{_utc(event.start, '%Y%m%dT%H%M%SZ')}/{_utc(event.end, '%Y%m%dT%H%M%SZ')}",
        "details": f"{event.summary}\n\n{settings.SITE_URL}{event.get_absolute_url()}",
        "location": _location(event),
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query, quote_via=quote)


def outlook_calendar_url(event: Event) -> str:
    """A plain link that opens Outlook on the web with the event filled in."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": _utc(event.start, "%Y-%m-%dT%H:%M:%SZ"),
        "enddt": _utc(event.end, "%Y-%m-%dT%H:%M:%SZ"),
        "body": f"{event.summary}\n\n{settings.SITE_URL}{event.get_absolute_url()}",
        "location": _location(event),
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query, quote_via=quote)


def _to_bytes(calendar: Calendar) -> bytes:
    return calendar.to_ical()


def event_calendar(event: Event, *, note: str = "") -> bytes:
    """One event's .ics; ``note`` (a change notice's "was ..., now ...") opens its DESCRIPTION."""
    calendar = _calendar(event.title)
    calendar.add_component(_component(event, note))
    return _to_bytes(calendar)


def events_calendar(events: Iterable[Event], *, name: str) -> bytes:
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_component(event))
    return _to_bytes(calendar)


def public_calendar(*, version: str) -> bytes:
    """The public feed of published upcoming events, rendered once per generation of events.

    Calendar apps poll this feed often and it grows with every event. Its key holds ``version``, the
    generation of events (bumped by every write to an event or an RSVP, and moved on when an event
    ends; the view reads it, otg.common.caching.reads_generations) and the language: the feed's words
    ("Online") are translated.
    """
    key = fragment_key("events:public-calendar", version, get_language())
    return cached(key, lambda: events_calendar(Event.objects.for_calendar(), name="One Team Gov Sverige"))
