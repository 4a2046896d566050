"""Nothing that is not public shows through any public listing: lists and their filters, feeds, the
sitemap, the calendar, the search and the topics. Each asks its model's one definition of public
(Member.objects.public(), Event.objects.visible()/upcoming(), Interview.objects.published(), the tags in
public use of otg.common.topics); this sweeps every such URL as a visitor, twice (the second answer is
the cached one), for the names and places of everything that is not."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Rsvp
from tests.factories import EventFactory, InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    "private profile": "Petra Privatsson",
    "closed account": "Ivar Inaktivsson",
    "draft event": "Utkastträffen",
    "draft city": "Utkastby",
    "pending event": "Förslagsträffen",
    "pending city": "Förslagsby",
    "declined event": "Avslagsträffen",
    "declined city": "Avslagsby",
    "draft interview": "Utkastsamtalet",
    "scheduled interview": "Framtidssamtalet",
    "private tag": "Hemligt Ämne",
}


@pytest.fixture
def world():
    public = MemberFactory(name="Maja Synligsson", is_public=True, interests=["klarspråk"])
    private = MemberFactory(
        name=SECRETS["private profile"], is_public=False, interests=[SECRETS["private tag"]]
    )
    closed = MemberFactory(name=SECRETS["closed account"], is_public=True, is_active=False)
    event = EventFactory(title="Öppen frukost", city="Malmö")
    event.tags.add("klarspråk")
    # Written as they stand, not through the RSVP rules: all three chose to be named as coming.
    for member in (public, private, closed):
        Rsvp.objects.create(event=event, member=member, status=Rsvp.Status.GOING, show_publicly=True)
    Event.objects.filter(pk=event.pk).update(going_count=3)
    for status, title, city in (
        ("draft", SECRETS["draft event"], SECRETS["draft city"]),
        ("pending", SECRETS["pending event"], SECRETS["pending city"]),
        ("declined", SECRETS["declined event"], SECRETS["declined city"]),
    ):
        hidden = EventFactory(title=title, city=city, status=status, summary=f"Om {title}.")
        hidden.tags.add(SECRETS["private tag"])
    past = EventFactory(
        title="Gammal frukost",
        start=timezone.now() - timedelta(days=3),
        end=timezone.now() - timedelta(days=3, hours=-2),
    )
    InterviewFactory(title="Publicerat samtal", tags=["klarspråk"])
    InterviewFactory(
        title=SECRETS["draft interview"], status="draft", published_at=None, tags=[SECRETS["private tag"]]
    )
    InterviewFactory(
        title=SECRETS["scheduled interview"],
        published_at=timezone.now() + timedelta(days=2),
        tags=[SECRETS["private tag"]],
    )
    return {"event": event, "past": past}


def test_no_public_listing_shows_anything_that_is_not_public(world):
    paths = [
        reverse("home"),
        reverse("events:event-list"),
        reverse("events:event-list") + "?amne=hemligt-amne",
        reverse("events:event-list") + "?sida=2",
        reverse("events:event-past"),
        reverse("events:public-feed"),
        world["event"].get_absolute_url(),
        world["past"].get_absolute_url(),
        reverse("interviews:interview-list"),
        reverse("interviews:interview-list") + "?sida=2",
        reverse("interviews:feed-rss"),
        reverse("interviews:feed-atom"),
        reverse("members:member-list"),
        reverse("members:member-list") + "?amne=hemligt-amne",
        reverse("members:member-list") + "?q=sson",
        reverse("members:member-list") + "?sida=2",
        reverse("topic-list"),
        reverse("topic-detail", args=["klarspråk"]),
        "/sitemap.xml",
    ]
    visitor = Client()
    assert "Maja Synligsson" in visitor.get(world["event"].get_absolute_url()).content.decode()
    for _ in range(2):  # the second answer comes from the caches
        for path in paths:
            response = visitor.get(path)
            assert response.status_code in (200, 404), path
            content = response.content.decode()
            shown = {what for what, secret in SECRETS.items() if secret in content}
            assert not shown, f"{path} shows {shown}"
        # The search repeats what was typed: what it must not do is find anything.
        for secret in SECRETS.values():
            response = visitor.get(reverse("search"), {"q": secret})
            assert response.context["results"].total == 0, secret
    assert visitor.get(reverse("topic-detail", args=["hemligt-amne"])).status_code == 404
