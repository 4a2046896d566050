import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory, InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db

TOPICS = reverse("topic-list")


def topic_names(html: str) -> list[str]:
    return re.findall(r'<li><a href="/amnen/[^"]+/">([^<]+)</a>', html)


def test_topics_lists_tags_in_use_most_used_first(client):
    for _ in range(3):
        InterviewFactory(tags=["tillit"])
    EventFactory().tags.add("klarspråk", "tillit")
    MemberFactory(is_public=True).interests.add("klarspråk")
    InterviewFactory(tags=["öppna data"])

    html = client.get(TOPICS).content.decode()

    assert topic_names(html) == ["tillit", "klarspråk", "öppna data"]
    assert "(4 saker)" in html


def test_topics_counts_only_public_things(client):
    InterviewFactory(tags=["utkast"], status="draft", published_at=None)
    InterviewFactory(tags=["schemalagt"], published_at=timezone.now() + timedelta(days=1))
    EventFactory(status="draft").tags.add("opublicerat")
    MemberFactory(is_public=False).interests.add("hemligt")
    past = EventFactory(start=timezone.now() - timedelta(days=3))
    past.tags.add("förbi")
    InterviewFactory(tags=["tillit"])
    InterviewFactory(tags=["tillit"], status="draft", published_at=None)

    html = client.get(TOPICS).content.decode()

    assert topic_names(html) == ["tillit"]
    assert "(1 sak)" in html


def test_topic_page_shows_public_interviews_upcoming_events_and_public_members(client):
    InterviewFactory(title="Publicerad intervju", tags=["klarspråk"])
    InterviewFactory(title="Utkastintervju", tags=["klarspråk"], status="draft", published_at=None)
    EventFactory(title="Kommande träff").tags.add("klarspråk")
    EventFactory(title="Opublicerad träff", status="draft").tags.add("klarspråk")
    EventFactory(title="Gammal träff", start=timezone.now() - timedelta(days=3)).tags.add("klarspråk")
    MemberFactory(name="Öppen Person", is_public=True).interests.add("klarspråk")
    MemberFactory(name="Dold Person", is_public=False).interests.add("klarspråk")

    response = client.get(reverse("topic-detail", args=["klarspråk"]))
    html = response.content.decode()

    assert response.status_code == 200
    assert '<h1>Ämne: <span lang="sv">klarspråk</span></h1>' in html
    for shown in ("Publicerad intervju", "Kommande träff", "Öppen Person"):
        assert shown in html
    for hidden in ("Utkastintervju", "Opublicerad träff", "Gammal träff", "Dold Person"):
        assert hidden not in html


def test_topic_page_links_to_the_filtered_lists_when_there_is_more(client):
    for _ in range(7):
        InterviewFactory(tags=["tillit"])
        EventFactory().tags.add("tillit")

    html = client.get(reverse("topic-detail", args=["tillit"])).content.decode()

    assert '<a href="/intervjuer/?amne=tillit">Alla 7 intervjuer om ämnet</a>' in html
    assert '<a href="/evenemang/?amne=tillit">Alla 7 kommande evenemang om ämnet</a>' in html
    assert html.count('class="card person-card interview-card"') == 6


def test_topic_page_for_an_unknown_tag_is_not_found(client):
    assert client.get(reverse("topic-detail", args=["finns-inte"])).status_code == 404


def test_topic_page_of_a_tag_only_private_things_carry_is_not_found(client):
    MemberFactory(is_public=False).interests.add("min diagnos")
    InterviewFactory(tags=["hemligt projekt"], status="draft", published_at=None)

    assert client.get(reverse("topic-detail", args=["min-diagnos"])).status_code == 404
    assert client.get(reverse("topic-detail", args=["hemligt-projekt"])).status_code == 404


def test_every_tag_shown_links_to_its_topic_page(client):
    interview = InterviewFactory(tags=["klarspråk"])
    event = EventFactory()
    event.tags.add("klarspråk")
    topic = reverse("topic-detail", args=["klarspråk"])

    for path in (
        interview.get_absolute_url(),
        event.get_absolute_url(),
        reverse("interviews:interview-list"),
    ):
        html = client.get(path).content.decode()
        assert f'<a href="{topic}">klarspråk</a>' in html, path
    assert client.get(topic).status_code == 200


def _fill(n: int) -> None:
    for i in range(n):
        InterviewFactory(tags=["tillit", f"ämne {i}"])
        EventFactory().tags.add("tillit", f"ämne {i}")
        MemberFactory(is_public=True).interests.add("tillit", f"ämne {i}")


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("path", [TOPICS, reverse("topic-detail", args=["tillit"])])
def test_topic_pages_query_count_does_not_grow_with_the_data(client, path, commit):
    with commit():
        _fill(10)
    small = _queries(client, path)
    with commit():
        _fill(90)
    large = _queries(client, path)

    assert small == large
    assert large <= 10
