"""One meaning of "a tag in public use": the topic pages and the three ?amne= filters agree on it."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from events.models import Event
from otg.common import topics
from tests.factories import EventFactory, InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db

NAME, SLUG = "Hemlig Grupp", "hemlig-grupp"
FILTERS = {
    "events": reverse("events:event-list") + f"?amne={SLUG}",
    "interviews": reverse("interviews:interview-list") + f"?amne={SLUG}",
    "members": reverse("members:member-list") + f"?amne={SLUG}",
}
TOPIC = reverse("topic-detail", args=[SLUG])


@pytest.fixture
def private_tag():
    """A tag that only private or unpublished things carry: a private profile, drafts, a past event."""
    tag = Tag.objects.create(name=NAME, slug=SLUG)
    MemberFactory(is_public=False).interests.add(tag)
    MemberFactory(is_public=True, is_active=False).interests.add(tag)
    InterviewFactory(status="draft", published_at=None).tags.add(tag)
    EventFactory(title="Utkastträff", status=Event.Status.DRAFT).tags.add(tag)
    return tag


def test_a_tag_only_private_things_carry_is_not_in_public_use(private_tag):
    assert topics.public_tag(SLUG) is None
    assert private_tag not in topics.in_public_use()
    assert private_tag.pk not in {tag.pk for tag in topics.with_counts()}


@pytest.mark.parametrize("kind", sorted(FILTERS))
def test_no_filter_names_a_tag_only_private_things_carry(client, private_tag, kind):
    response = client.get(FILTERS[kind])
    assert response.status_code in (200, 404)
    assert NAME not in response.content.decode()
    assert "Utkastträff" not in response.content.decode()
    assert client.get(TOPIC).status_code == 404


def test_the_interview_filter_is_404_like_the_topic_page(client, private_tag):
    assert client.get(FILTERS["interviews"]).status_code == 404


@pytest.mark.parametrize(
    "carrier",
    [
        lambda tag: MemberFactory(name="Öppen Person", is_public=True).interests.add(tag),
        lambda tag: InterviewFactory(title="Publicerat samtal").tags.add(tag),
        lambda tag: EventFactory(title="Kommande träff").tags.add(tag),
    ],
    ids=["public member", "published interview", "upcoming event"],
)
def test_one_public_carrier_puts_the_tag_in_public_use_everywhere(client, private_tag, carrier):
    carrier(private_tag)
    assert topics.public_tag(SLUG) == private_tag
    page = client.get(TOPIC).content.decode()
    assert NAME in page
    assert NAME in client.get(FILTERS["members"]).content.decode()
    assert client.get(FILTERS["interviews"]).status_code == 200
    assert client.get(FILTERS["events"]).status_code == 200


def test_counts_are_of_public_things_only(private_tag):
    MemberFactory(is_public=True).interests.add(private_tag)
    EventFactory().tags.add(private_tag)
    (tag,) = [tag for tag in topics.with_counts() if tag.pk == private_tag.pk]
    assert (tag.member_count, tag.event_count, tag.interview_count, tag.total) == (1, 1, 0, 2)
