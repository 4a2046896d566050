"""iCalendar files for one event and for the public and private feeds, built with icalendar.

Times are written in UTC (no VTIMEZONE needed); every event has a UID that never changes and a
SEQUENCE that rises with each change of time, place or status, so calendar apps update, not duplicate.

A date of a recurring meetup (events.services.series) is a VEVENT of its own, with its own UID and
SEQUENCE, and names its series with RELATED-TO (RFC 5545, section 3.8.4.5: the UID of the related
component; RELTYPE defaults to PARENT). Not one VEVENT with an RRULE and EXDATEs, because each date
changes on its own (another room, another time, cancelled) and what the clients document about
recurrence exceptions is fragile:

- Outlook and Exchange (Microsoft's MS-OXCICAL, 2.1.3.1.1.20.13 "Property: EXDATE",
  https://learn.microsoft.com/en-us/openspecs/exchange_server_protocols/ms-oxcical/a881e6ef-2dfb-490f-b45f-3cce4e23834c):
  an EXDATE is imported only with an RRULE in the same VEVENT, its time is stripped to midnight, and
  EXDATEs that match no instance are dropped; a moved instance must come as a second VEVENT with the
  same UID and a RECURRENCE-ID, which is then an exception of a recurring appointment rather than an
  event of its own. We found no use of RELATED-TO in what we read of MS-OXCICAL: a client that does
  not support a property leaves it, and shows each date as the single event it is.
- Google Calendar: we found no Google documentation of RELATED-TO, nor of how changes to a subscribed
  feed's RRULE are merged. Developers report that it fetches a subscribed URL only every several
  hours (its "Google-Calendar-Importer" every 4 to 7 h, with changes "up to 12 hours" per Google's
  community forum) and that a changed recurrence rule in such a feed was not applied
  (https://adangel.org/2024/12/15/ical-and-google-calendar-sync; Simon Willison's note on subscribe
  links, https://til.simonwillison.net/ics/google-calendar-ics-subscribe-link). Separate VEVENTs each
  update by their own UID and SEQUENCE.
- Apple Calendar: we found no Apple documentation of RELATED-TO or of recurrence exceptions in
  subscribed feeds; a plain VEVENT is what every client shows as an event.

So every client shows every date, with its own changes; a client that reads RELATED-TO can group the
dates, and one that does not loses nothing. Checked 2026-12-07; check again before relying on more.
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
    if event.series_id:
        component.add("related-to", event.series.calendar_uid, parameters={"RELTYPE": "PARENT"})
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


def google_calendar_url(event: Event, *, path: str = "") -> str:
    """A plain link that opens Google Calendar with the event filled in (no script, no account of ours).
    ``path``: the event's get_absolute_url(), when the caller has it already."""
    path = path or event.get_absolute_url()
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{_utc(event.start, '%Y%m%dT%H%M%SZ')}/{_utc(event.end, '%Y%m%dT%H%M%SZ')}",
        "details": f"{event.summary}\n\n{settings.SITE_URL}{path}",
        "location": _location(event),
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query, quote_via=quote)


def outlook_calendar_url(event: Event, *, path: str = "") -> str:
    """A plain link that opens Outlook on the web with the event filled in (``path`` as above)."""
    path = path or event.get_absolute_url()
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": _utc(event.start, "%Y-%m-%dT%H:%M:%SZ"),
        "enddt": _utc(event.end, "%Y-%m-%dT%H:%M:%SZ"),
        "body": f"{event.summary}\n\n{settings.SITE_URL}{path}",
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
