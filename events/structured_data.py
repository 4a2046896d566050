"""schema.org ``Event`` data for an event page, as JSON-LD (https://schema.org/Event).

Built per request from the event row the page has just read, never from a cached fragment, so
``remainingAttendeeCapacity`` is as true as the page's own count of places. The online link is private
to confirmed attendees: an online event's ``VirtualLocation`` points at the event page instead.

Left out on purpose: ``offers`` (the site sells nothing and records no price, so a price or currency
would be made up) and ``performer`` (the site does not record speakers).
"""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString

from events.models import Event
from otg.common.json_ld import json_ld

ORGANIZATION_NAME = "One Team Gov Sverige"
SCHEMA = "https://schema.org/"

_ATTENDANCE_MODE = {
    Event.Format.ON_SITE: "OfflineEventAttendanceMode",
    Event.Format.ONLINE: "OnlineEventAttendanceMode",
    Event.Format.HYBRID: "MixedEventAttendanceMode",
}


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def _iso(value: datetime) -> str:
    """ISO 8601 with the Stockholm offset, to the second: 2026-12-11T17:30:00+01:00."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _place(event: Event) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": "SE"}
    if event.address:
        address["streetAddress"] = event.address
    if event.city:
        address["addressLocality"] = event.city
    place = {"@type": "Place", "address": address}
    place["name"] = event.venue_name or event.city or event.address
    return place


def _virtual(url: str) -> dict:
    return {"@type": "VirtualLocation", "url": url}


def event_structured_data(event: Event, *, path: str = "") -> dict:
    """The event as a schema.org ``Event``, ready for ``json.dumps``. ``path``: the event's
    get_absolute_url(), when the caller has it already (the event page: one reverse() for all)."""
    url = _absolute(path or event.get_absolute_url())
    if event.format == Event.Format.ONLINE:
        location = _virtual(url)
    elif event.format == Event.Format.HYBRID:
        location = [_place(event), _virtual(url)]
    else:
        location = _place(event)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": _iso(event.start),
        "endDate": _iso(event.end),
        "eventStatus": SCHEMA + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + _ATTENDANCE_MODE[event.format],
        "location": location,
        "description": event.summary,
        "organizer": {"@type": "Organization", "name": ORGANIZATION_NAME, "url": settings.SITE_URL + "/"},
        "inLanguage": "sv",
    }
    if event.cover_image:
        data["image"] = [_absolute(event.cover_image.url)]
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = event.places_left
    return data


def event_json_ld(event: Event, *, path: str = "") -> SafeString:
    """A ``<script type="application/ld+json">`` data block: never executed, so the strict CSP holds."""
    return json_ld(event_structured_data(event, path=path))
