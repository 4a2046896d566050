"""Whole pages kept for anonymous visitors (otg.common.pages): what every visitor sees, and nothing else.

The writes that retire a kept page are tested page by page in test_caching.py (the event page, the
interview page and home are kept whole for the anonymous client those tests use). Here: what time
changes without any write, what belongs to one visitor only (the CSRF token, a waiting message, a
member's own page), and the language.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory, InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def html(client, path: str, **headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.content.decode()


def section(page: str, heading_id: str) -> str:
    match = re.search(r'<aside[^>]*aria-labelledby="' + heading_id + r'".*?</aside>', page, re.S)
    return match.group(0) if match else ""


def test_event_pages_change_when_an_event_starts_or_its_rsvp_closes_without_any_write(
    client, frozen_database_clock
):
    now = timezone.now()
    soon = now + timedelta(seconds=1.5)
    with frozen_database_clock(now):
        starting = EventFactory(start=soon, end=soon + timedelta(hours=2))
        closing = EventFactory(rsvp_closes_at=soon)
        for _ in range(2):  # the second answer is the kept page
            assert "Pågår nu" not in html(client, starting.get_absolute_url())
            assert "Anmälan har stängt." not in html(client, closing.get_absolute_url())
        assert "Bli medlem" in html(client, closing.get_absolute_url())
    # 1.6 s later on both clocks, the kept pages' and the database's.
    with frozen_database_clock(now + timedelta(seconds=1.6)):
        assert "Pågår nu" in html(client, starting.get_absolute_url())
        page = html(client, closing.get_absolute_url())
        assert "Anmälan har stängt." in page and "Bli medlem</a> eller" not in page


def test_interview_page_moves_an_event_to_the_past_ones_when_it_ends_without_any_write(
    client, frozen_database_clock
):
    now = timezone.now()
    with frozen_database_clock(now):
        ending = EventFactory(
            title="Frukost som slutar", start=now - timedelta(hours=1), end=now + timedelta(seconds=1.5)
        )
        later = EventFactory(title="Lunch senare")
        interview = InterviewFactory()
        interview.related_events.add(ending, later)
        for _ in range(2):
            page = html(client, interview.get_absolute_url())
            upcoming = section(page, "related-events-heading")
            assert "Frukost som slutar" in upcoming and "Lunch senare" in upcoming
            assert not section(page, "past-events-heading")
    with frozen_database_clock(now + timedelta(seconds=1.6)):
        page = html(client, interview.get_absolute_url())
        assert "Frukost som slutar" not in section(page, "related-events-heading")
        assert "Lunch senare" in section(page, "related-events-heading")
        assert "Frukost som slutar" in section(page, "past-events-heading")


@pytest.mark.parametrize("path", ["home", "event", "interview"])
def test_every_visitor_of_a_kept_page_gets_a_token_of_their_own_that_works(path):
    path = {
        "home": lambda: HOME,
        "event": lambda: EventFactory().get_absolute_url(),
        "interview": lambda: InterviewFactory().get_absolute_url(),
    }[path]()
    visitors = [Client(enforce_csrf_checks=True) for _ in range(3)]
    tokens = []
    for visitor in visitors:  # the first renders the page, the others get it kept
        page = html(visitor, path)
        assert "csrf-slot" not in page
        (token,) = TOKEN.findall(page)
        tokens.append(token)
    assert len(set(tokens)) == 3
    for visitor, token in zip(visitors, tokens, strict=True):
        response = visitor.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert '<html lang="en">' in html(visitor, path)


def test_a_message_waiting_for_a_visitor_is_shown_to_them_once_and_to_nobody_else(client):
    member = MemberFactory()
    other = Client()
    html(other, HOME)
    html(other, HOME)  # kept
    client.force_login(member)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    waiting = [str(message) for message in get_messages(response.wsgi_request)]
    assert waiting
    page = html(client, HOME)
    assert all(message in page for message in waiting)
    assert 'class="messages"' in page
    assert 'class="messages"' not in html(client, HOME)
    assert 'class="messages"' not in html(other, HOME)


def test_a_member_never_gets_the_page_kept_for_visitors(client):
    event = EventFactory(title="Frukost för alla")
    interview = InterviewFactory()
    for path in (HOME, event.get_absolute_url(), interview.get_absolute_url()):
        html(client, path)
        html(client, path)
    client.force_login(MemberFactory(name="Mia Medlem"))
    for path in (HOME, event.get_absolute_url(), interview.get_absolute_url()):
        page = html(client, path)
        assert "Logga ut" in page and "Bli medlem" not in page, path
    assert 'action="' + reverse("events:rsvp-create", args=[event.slug]) + '"' in html(
        client, event.get_absolute_url()
    )


def test_a_kept_page_is_in_each_visitors_language(client):
    event = EventFactory(kind="meetup")
    interview = InterviewFactory()
    for path in (HOME, event.get_absolute_url(), interview.get_absolute_url()):
        for _ in range(2):
            assert '<html lang="sv">' in html(client, path, accept_language="sv")
            assert '<html lang="en">' in html(Client(), path, accept_language="en")


def test_a_kept_page_gives_each_host_and_scheme_its_own_addresses(client):
    event = EventFactory()
    for _ in range(2):
        for host, secure in (("localhost", False), ("127.0.0.1", False), ("localhost", True)):
            page = client.get(
                event.get_absolute_url(), headers={"host": host}, secure=secure
            ).content.decode()
            scheme = "https" if secure else "http"
            assert f'<meta property="og:url" content="{scheme}://{host}{event.get_absolute_url()}">' in page


def test_topic_pages_search_and_filters_follow_the_clock_without_any_write(client, frozen_database_clock):
    """An event that ends leaves the topic page and the city filter; an interview whose time comes
    joins the topic page and the search, all without any write."""
    now = timezone.now()
    soon = now + timedelta(seconds=1.5)
    topic = reverse("topic-detail", args=["tillit"])
    search = reverse("search") + "?q=tidsstyrt"
    with frozen_database_clock(now):
        ending = EventFactory(title="Slutande träff", city="Kiruna", start=now - timedelta(hours=1), end=soon)
        ending.tags.add("tillit")
        InterviewFactory(title="Tidsstyrt samtal", published_at=soon, tags=["tillit"])
        for _ in range(2):  # the second answer is the kept page or fragment
            page = html(client, topic)
            assert "Slutande träff" in page and "Tidsstyrt samtal" not in page
            assert "Tidsstyrt samtal" not in html(client, search)
            assert '<option value="Kiruna">' in html(client, reverse("events:event-list"))
    # 1.6 s later on both clocks: the event is over and the interview is out.
    with frozen_database_clock(now + timedelta(seconds=1.6)):
        page = html(client, topic)
        assert "Tidsstyrt samtal" in page and "Slutande träff" not in page
        assert "Tidsstyrt samtal" in html(client, search)
        assert '<option value="Kiruna">' not in html(client, reverse("events:event-list"))
