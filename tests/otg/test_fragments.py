"""Cached card lists: rendered once per version of their content, and never stale after a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services as event_services
from tests.factories import EventFactory, InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db


def loads_rows(client, path: str, column: str) -> bool:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return any(column in query["sql"] for query in queries.captured_queries)


def test_interview_cards_are_rendered_once_and_follow_an_edit(client):
    interview = InterviewFactory(title="Första titeln")
    InterviewFactory(title="En annan intervju")
    path = reverse("interviews:interview-list")
    assert loads_rows(client, path, '"interviews_interview"."title"')
    assert not loads_rows(client, path, '"interviews_interview"."title"')  # cached cards
    interview.title = "Ny titel"
    interview.save()
    html = client.get(path).content.decode()
    assert "Ny titel" in html and "Första titeln" not in html


def test_interview_cards_show_a_new_publication_at_once(client):
    InterviewFactory(title="Gammal")
    path = reverse("interviews:interview-list")
    client.get(path)
    InterviewFactory(title="Alldeles ny")
    assert "Alldeles ny" in client.get(path).content.decode()


def test_event_cards_show_places_left_after_every_rsvp(client):
    event = EventFactory(title="Frukost", capacity=2)
    path = reverse("events:event-list")
    assert "2 platser kvar" in client.get(path).content.decode()
    assert not loads_rows(client, path, '"events_event"."summary"')  # cached cards
    event_services.rsvp_create(event=event, member=MemberFactory())
    assert "1 plats kvar" in client.get(path).content.decode()
    event_services.rsvp_create(event=event, member=MemberFactory())
    assert "Fullt" in client.get(path).content.decode()


def test_event_cards_are_cached_per_filter_and_language(client):
    EventFactory(title="I Malmö", city="Malmö", capacity=5)
    EventFactory(title="I Umeå", city="Umeå")
    everything = client.get(reverse("events:event-list")).content.decode()
    assert "I Malmö" in everything and "I Umeå" in everything and "5 platser kvar" in everything
    malmo = client.get(reverse("events:event-list") + "?city=Malm%C3%B6").content.decode()
    assert "I Malmö" in malmo and "I Umeå" not in malmo
    client.post(reverse("set_language"), {"language": "en"})
    english = client.get(reverse("events:event-list")).content.decode()
    assert "5 places left" in english and "5 platser kvar" not in english
