"""iCalendar files for one event and for the public and private feeds, built with icalendar.

Times are written in UTC (no VTIMEZONE needed); every event has a UID that never changes and a
SEQUENCE that rises with each change of time, place or status, so calendar apps update, not duplicate.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar
from icalendar import Event as IcsEvent

from events.models import Event

PRODID = "-//One Team Gov Sverige//Evenemang//SV"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _component(event: Event) -> IcsEvent:
    url = settings.SITE_URL + event.get_absolute_url()
    component = IcsEvent()
    component.add("uid", f"event-{event.uid}@onegov.se")
    component.add("dtstamp", timezone.now().astimezone(UTC))
    component.add("dtstart", event.start.astimezone(UTC))
    component.add("dtend", event.end.astimezone(UTC))
    component.add("sequence", event.sequence)
    component.add("summary", event.title)
    component.add("description", f"{event.summary}\n\n{url}")
    component.add("url", url)
    component.add("last-modified", event.updated_at.astimezone(UTC))
    if location := _location(event):
        component.add("location", location)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event.title)
    alarm.add("trigger", timedelta(hours=-1))
    component.add_component(alarm)
    return component


def _location(event: Event) -> str:
    if event.format == Event.Format.ONLINE:
        return str(_("Online"))
    return ", ".join(p for p in (event.venue_name, event.address, event.city) if p)


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
    """The public feed of published upcoming events, rendered once per change of its content.

    Calendar apps poll this feed often and it grows with every event; the version in the cache key
    (how many events it holds, and when the latest of them changed) moves with any edit, publication,
    cancellation or event that ends, so a cached feed is never stale.
    """
    events = Event.objects.for_calendar()
    version = events.aggregate(count=Count("pk"), changed=Max("updated_at"))
    changed = version["changed"].timestamp() if version["changed"] else 0
    key = f"events:public-calendar:{version['count']}:{changed}"
    cache = caches["template_fragments"]
    content = cache.get(key)
    if content is None:
        content = events_calendar(events, name="One Team Gov Sverige")
        cache.set(key, content, timeout=24 * 3600)
    return content
