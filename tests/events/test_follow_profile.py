"""Following from the profile page: it shows what the member follows, how often, and forms to follow a
topic in public use or a city that has events, and to stop; every form posts to the follow views, so
the rules are the ones the topic page and the event list use. Bad input changes nothing and says why."""

import unicodedata

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from events.models import Event, Follow
from events.services.follows import follow_create
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db

PROFILE = "/medlemmar/profil/"


@pytest.fixture
def world():
    """Events in Umeå and Malmö on "ledarskap"; "hemligt" carried only by a draft and a private member."""
    EventFactory(city="Umeå").tags.add("ledarskap")
    EventFactory(city="Malmö")
    EventFactory(city="Kiruna", status=Event.Status.DRAFT).tags.add("hemligt")
    MemberFactory(is_public=False).interests.add("hemligt")


def _follows(member) -> list[tuple]:
    return sorted(Follow.objects.filter(member=member).values_list("kind", "tag__slug", "city", "frequency"))


def test_profile_page_shows_follows_and_what_there_is_to_follow(client, world):
    member = MemberFactory()
    follow_create(member=member, kind="city", city="Umeå", frequency="weekly")
    client.force_login(member)
    page = client.get(reverse("members:profile-edit")).content.decode()
    assert "Ämnen och städer du följer" in page
    assert "Stad: Umeå" in page
    assert 'value="weekly" checked' in page
    assert f'href="{reverse("events:follow-list")}"' in page
    # What there is to follow: topics in public use and cities with visible events, nothing private.
    assert '<option value="ledarskap">ledarskap</option>' in page
    assert '<option value="Malmö">Malmö</option>' in page
    assert "hemligt" not in page and "Kiruna" not in page


def test_profile_page_without_follows_says_nothing_is_sent(client, world):
    client.force_login(MemberFactory())
    page = client.get(reverse("members:profile-edit")).content.decode()
    assert "Du följer ingenting ännu, så vi skickar dig ingenting." in page


def test_follow_a_topic_and_a_city_from_the_profile(client, world):
    member = MemberFactory()
    client.force_login(member)
    response = client.post(
        reverse("events:follow-create"),
        {"kind": "topic", "tag": "ledarskap", "frequency": "at_once", "next": PROFILE},
    )
    assert response.status_code == 302 and response.headers["Location"] == PROFILE
    response = client.post(
        reverse("events:follow-create"),
        {"kind": "city", "city": "Malmö", "frequency": "weekly", "next": PROFILE},
        follow=True,
    )
    assert response.redirect_chain == [(PROFILE, 302)]
    assert _follows(member) == [("city", None, "Malmö", "weekly"), ("topic", "ledarskap", "", "at_once")]
    page = response.content.decode()
    assert "Du följer Malmö: veckosammanfattning." in page
    assert "Stad: Malmö" in page and "Ämne: ledarskap" in page


def test_change_how_often_and_stop_following_from_the_profile(client, world):
    member = MemberFactory()
    follow = follow_create(member=member, kind="topic", tag_slug="ledarskap")
    client.force_login(member)
    client.post(
        reverse("events:follow-create"),
        {"kind": "topic", "tag": "ledarskap", "frequency": "weekly", "next": PROFILE},
    )
    assert _follows(member) == [("topic", "ledarskap", "", "weekly")]
    response = client.post(reverse("events:follow-delete", args=[follow.pk]), {"next": PROFILE}, follow=True)
    assert response.redirect_chain == [(PROFILE, 302)]
    assert _follows(member) == []
    assert "Du följer inte längre ledarskap." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "topic", "tag": "finns-inte"}, "Det ämnet finns inte."),
        ({"kind": "topic", "tag": "hemligt"}, "Det ämnet finns inte."),  # private and draft only
        ({"kind": "topic", "tag": ""}, "Välj ett ämne att följa."),
        ({"kind": "topic", "tag": "   "}, "Välj ett ämne att följa."),
        ({"kind": "city", "city": ""}, "Välj en stad att följa."),
        ({"kind": "city", "city": " \u00a0\u2003\t "}, "Välj en stad att följa."),
        ({"kind": "city", "city": "Kiruna"}, "Det finns inga evenemang i den staden att följa."),  # a draft's
        ({"kind": "city", "city": "Umeå\u200b"}, "Det finns inga evenemang i den staden att följa."),
    ],
)
def test_bad_follow_from_the_profile_changes_nothing_and_says_why(client, world, data, message):
    member = MemberFactory()
    follow_create(member=member, kind="city", city="Umeå", frequency="weekly")
    before = _follows(member)
    client.force_login(member)
    response = client.post(
        reverse("events:follow-create"), {**data, "frequency": "at_once", "next": PROFILE}, follow=True
    )
    assert response.redirect_chain == [(PROFILE, 302)]
    page = response.content.decode()
    assert f'<li class="message message-error">{message}</li>' in page
    assert _follows(member) == before == [("city", None, "Umeå", "weekly")]


def test_bad_follow_message_in_english(client, world):
    member = MemberFactory(preferred_language="en")
    client.force_login(member)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("events:follow-create"),
        {"kind": "city", "city": "  ", "frequency": "at_once", "next": PROFILE},
        follow=True,
        headers={"accept-language": "en"},
    )
    assert '<li class="message message-error">Choose a city to follow.</li>' in response.content.decode()
    assert Follow.objects.count() == 0


def test_a_city_typed_in_another_case_spacing_or_unicode_form_is_the_same_city(client, world):
    for typed in ["umeå", "  UMEÅ ", "Ume\u0061\u030a", "Umeå\u00a0"]:  # "a" + combining ring (NFD); nbsp
        member = MemberFactory()
        client.force_login(member)
        client.post(reverse("events:follow-create"), {"kind": "city", "city": typed, "frequency": "at_once"})
        assert _follows(member) == [("city", None, "Umeå", "at_once")], typed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(city=st.text(max_size=120))
@example(city="\x00")
@example(city="Umeå\u200b")
@example(city="\u202eåemU")
@example(city="Umeå" * 30)
def test_any_other_city_text_changes_nothing_and_never_fails(client, world, city):
    member = MemberFactory()
    client.force_login(member)
    known = {unicodedata.normalize("NFC", known).lower() for known in Event.objects.visible().cities()}
    response = client.post(
        reverse("events:follow-create"),
        {"kind": "city", "city": city, "frequency": "at_once", "next": PROFILE},
        follow=True,
    )
    assert response.status_code == 200
    normalised = " ".join(unicodedata.normalize("NFC", city).split()).lower()
    if normalised in known and "\x00" not in city and len(city) <= 100:
        assert Follow.objects.filter(member=member).count() == 1
    else:
        assert "message-error" in response.content.decode()
        assert Follow.objects.filter(member=member).count() == 0


def test_a_followed_topic_that_left_public_use_can_still_change_how_often(client):
    member = MemberFactory()
    event = EventFactory()
    event.tags.add("raritet")
    follow_create(member=member, kind="topic", tag_slug="raritet")
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)  # nothing public carries it now
    client.force_login(member)
    client.post(
        reverse("events:follow-create"),
        {"kind": "topic", "tag": "raritet", "frequency": "weekly", "next": PROFILE},
    )
    assert _follows(member) == [("topic", "raritet", "", "weekly")]
    # Another member cannot start following it.
    other = MemberFactory()
    client.force_login(other)
    client.post(reverse("events:follow-create"), {"kind": "topic", "tag": "raritet", "frequency": "weekly"})
    assert _follows(other) == []
