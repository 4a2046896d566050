"""schema.org Event data on the event page, read back the way a search engine reads it: the
<script type="application/ld+json"> block parsed as JSON.

Checked against the fields Google's event structured data documentation lists: required name,
startDate and location; recommended description, endDate, eventAttendanceMode, eventStatus, image,
organizer and offers. ``offers`` is left out on purpose (the site sells nothing and records no price),
and so is ``performer`` (no speakers are recorded).
"""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from events.models import Event
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory
from tests.helpers.photos import photo_with_gps

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
REQUIRED = {"name", "startDate", "location"}
RECOMMENDED = {"description", "endDate", "eventAttendanceMode", "eventStatus", "image", "organizer"}
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def _blocks(client, event) -> list[str]:
    response = client.get(reverse("events:event-detail", args=[event.slug]))
    assert response.status_code == 200
    return BLOCK.findall(response.content.decode())


def _data(client, event) -> dict:
    blocks = _blocks(client, event)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_structured_data_has_required_and_recommended_fields(client, settings):
    settings.SITE_URL = "https://otg.example.se"
    start = datetime(2027, 1, 14, 8, 0, tzinfo=STOCKHOLM)
    event = EventFactory(
        title="Frukostmöte i Umeå",
        summary="Kaffe och samtal om tjänstedesign.",
        start=start,
        end=start + timedelta(hours=1, minutes=30),
        venue_name="Väven",
        address="Storgatan 46A",
        city="Umeå",
        cover_alt="Ett rött fält",
    )
    event.cover_image.save("omslag.jpg", ContentFile(photo_with_gps()))
    data = _data(client, event)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data.keys() >= REQUIRED | RECOMMENDED
    assert data["name"] == "Frukostmöte i Umeå"
    assert data["startDate"] == "2027-01-14T08:00:00+01:00"
    assert data["endDate"] == "2027-01-14T09:30:00+01:00"
    assert data["location"] == {
        "@type": "Place",
        "name": "Väven",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Storgatan 46A",
            "addressLocality": "Umeå",
            "addressCountry": "SE",
        },
    }
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "One Team Gov Sverige",
        "url": "https://otg.example.se/",
    }
    assert data["description"] == "Kaffe och samtal om tjänstedesign."
    assert data["url"] == f"https://otg.example.se/evenemang/{event.slug}/"
    assert data["image"] == [f"https://otg.example.se{event.cover_image.url}"]
    assert "offers" not in data
    assert "remainingAttendeeCapacity" not in data  # no capacity: nothing to count down


def test_structured_data_dates_carry_summer_offset(client):
    start = datetime(2027, 6, 10, 17, 30, tzinfo=STOCKHOLM)
    event = EventFactory(start=start, end=start + timedelta(hours=2))
    data = _data(client, event)
    assert ISO_WITH_OFFSET.match(data["startDate"])
    assert data["startDate"] == "2027-06-10T17:30:00+02:00"
    assert data["endDate"] == "2027-06-10T19:30:00+02:00"


def test_structured_data_says_cancelled(client):
    event = EventFactory(status=Event.Status.CANCELLED)
    assert _data(client, event)["eventStatus"] == "https://schema.org/EventCancelled"


def test_structured_data_online_event_has_virtual_location_without_private_link(client, settings):
    settings.SITE_URL = "https://otg.example.se"
    secret = "https://meet.example.org/hemligt-rum-123"
    event = EventFactory(format=Event.Format.ONLINE, venue_name="", address="", city="", online_url=secret)
    blocks = _blocks(client, event)
    data = json.loads(blocks[0])
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": f"https://otg.example.se/evenemang/{event.slug}/",
    }
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert secret not in blocks[0]


def test_structured_data_hybrid_event_has_place_and_virtual_location(client):
    event = EventFactory(format=Event.Format.HYBRID, online_url="https://meet.example.org/rum")
    data = _data(client, event)
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"


def test_structured_data_remaining_capacity_follows_rsvps(client, commit):
    event = EventFactory(capacity=3)
    assert _data(client, event)["remainingAttendeeCapacity"] == 3  # also keeps the page for visitors
    with commit():  # the RSVP commits, and retires the kept page (otg.common.pages)
        rsvp_create(event=event, member=MemberFactory())
    event.refresh_from_db()
    data = _data(client, event)
    assert data["remainingAttendeeCapacity"] == event.capacity - event.going_count == 2
    assert data["maximumAttendeeCapacity"] == 3


def test_structured_data_hostile_title_stays_inside_the_block(client):
    title = 'Möte </script><script>alert("x")</script><!-- & mer'
    event = EventFactory(title=title, summary="</SCRIPT> sammanfattning")
    html = client.get(reverse("events:event-detail", args=[event.slug])).content.decode()
    data = _data(client, event)
    assert data["name"] == title
    assert data["description"] == "</SCRIPT> sammanfattning"
    assert '<script>alert("x")' not in html


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.PENDING, Event.Status.DECLINED])
def test_draft_or_proposal_has_no_structured_data(client, status):
    event = EventFactory(status=status)
    organiser = MemberFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)
    assert _blocks(client, event) == []
