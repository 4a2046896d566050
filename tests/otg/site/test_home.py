import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def soon(days: int):
    return timezone.now() + timedelta(days=days)


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def titles(html: str) -> list[str]:
    return re.findall(r"<h\d[^>]*><a [^>]*>([^<]+)</a></h\d>", html)


def test_home_shows_the_next_three_events_with_places_left(client):
    EventFactory(title="Fullt", start=soon(1), capacity=1, going_count=1)
    EventFactory(title="Inställt", start=soon(2), status="cancelled")
    EventFactory(title="Utkast", start=soon(2), status="draft")
    EventFactory(title="Förbi", start=soon(-2))
    EventFactory(title="Fyra", start=soon(6))
    EventFactory(title="Tre", start=soon(5), capacity=10, going_count=9)
    EventFactory(title="Ett", start=soon(3))
    EventFactory(title="Två", start=soon(4))

    html = client.get(HOME).content.decode()

    assert titles(section(html, "events-heading")) == ["Ett", "Två", "Tre"]


def test_home_shows_the_three_latest_published_interviews(client):
    InterviewFactory(title="Äldst", published_at=soon(-10))
    InterviewFactory(title="Ny", published_at=soon(-1))
    InterviewFactory(title="Mellan", published_at=soon(-3))
    InterviewFactory(title="Näst äldst", published_at=soon(-5))
    InterviewFactory(title="Schemalagd", published_at=soon(2))
    InterviewFactory(title="Utkast", status="draft", published_at=None)

    html = client.get(HOME).content.decode()

    assert titles(section(html, "interviews-heading")) == ["Ny", "Mellan", "Näst äldst"]


def test_home_introduces_the_movement_and_invites_visitors(client):
    html = client.get(HOME).content.decode()

    assert f'href="{reverse("about")}"' in html
    assert "Bli medlem" in html
    assert '<form method="get" action="/sok/"' in html
    assert 'for="home-search-q"' in html


def test_home_signed_in_member_sees_their_next_event_first(client):
    member = MemberFactory()
    EventFactory(title="Tidigast", start=soon(1))
    full = EventFactory(title="Mitt fulla", start=soon(3), capacity=1)
    later = EventFactory(title="Mitt senare", start=soon(8))
    rsvp_create(event=full, member=member)
    rsvp_create(event=later, member=member)
    client.force_login(member)

    html = client.get(HOME).content.decode()
    events = section(html, "events-heading")

    assert "Ditt nästa evenemang" in events
    assert titles(events) == ["Mitt fulla", "Tidigast", "Mitt senare"]
    assert "Bli medlem" not in section(html, "home-heading")


def test_home_with_nothing_published_says_so(client):
    html = client.get(HOME).content.decode()

    assert "Just nu finns inga planerade evenemang med lediga platser." in html
    assert "Inga intervjuer är publicerade än." in html


def _fill(n: int) -> None:
    for i in range(n):
        InterviewFactory(tags=["tillit", f"ämne {i}"])
        EventFactory(start=soon(1 + i % 20), capacity=5).tags.add("tillit")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("signed_in", [False, True])
def test_home_query_count_does_not_grow_with_the_data(client, signed_in, commit):
    if signed_in:
        member = MemberFactory()
        client.force_login(member)
    with commit():
        _fill(10)
    if signed_in:
        rsvp_create(event=EventFactory(start=soon(30)), member=member)
    small = _queries(client)
    with commit():
        _fill(90)
    large = _queries(client)

    assert small == large
    assert large <= 10
