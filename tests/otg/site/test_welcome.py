"""A new member's first minutes: sign-in and sign-up return to the page they were followed from, and the
first sign-in after confirming the address lands on a welcome step that offers, and does nothing unasked."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Follow
from members.models import Member
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db

PASSWORD = "ett-långt-lösenord-för-test"


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def signup(client, next_url="", **overrides):
    data = {
        "name": "Adrian Solitander",
        "email": "adrian@example.org",
        "password1": PASSWORD,
        "accept_principles": "on",
        "interests": "klarspråk, öppna data",
        "bio": "",
    } | overrides
    url = reverse("account_signup") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data | ({"next": next_url} if next_url else {}))


def confirm(client, mailoutbox):
    """Follow the confirmation link in the newest mail, as the member does, and return the answer."""
    link = link_in(mailoutbox[-1])
    client.get(link)
    return client.post(link)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_header_sign_in_and_sign_up_links_return_to_the_page(client, language):
    event = EventFactory()
    with translation.override(language):
        html = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    path = event.get_absolute_url().replace("/", "%2F")
    assert f'href="{reverse("account_login")}?next={path}"' in html
    assert f'href="{reverse("account_signup")}?next={path}"' in html


def test_header_links_on_the_sign_in_page_carry_its_own_next_and_refuse_others(client):
    html = client.get(reverse("account_login") + "?next=/evenemang/").content.decode()
    assert f'href="{reverse("account_signup")}?next=%2Fevenemang%2F"' in html
    html = client.get(reverse("account_login") + "?next=https://evil.example/").content.decode()
    assert "evil.example" not in html.split("<main", 1)[0]


def test_signing_in_from_the_header_returns_to_the_event(client):
    member = MemberFactory(password=PASSWORD)
    event = EventFactory()
    login_link = re.search(
        r'href="(/konto/login/\?next=[^"]+)"', client.get(event.get_absolute_url()).content.decode()
    ).group(1)
    response = client.post(login_link, {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == event.get_absolute_url()


def test_sign_in_page_focuses_the_address_and_tabs_to_the_password_before_the_reset_link(client):
    html = client.get(reverse("account_login")).content.decode()
    main = html.split("<main", 1)[1]
    address = re.search(r"<input[^>]*name=\"login\"[^>]*>", main).group(0)
    assert "autofocus" in address
    order = [main.index('name="login"'), main.index('name="password"'), main.index('type="submit"')]
    assert order == sorted(order)
    assert main.index(reverse("account_reset_password")) > main.index('type="submit"')


def test_first_sign_in_after_confirming_lands_on_the_welcome_step_then_goes_on(client, mailoutbox):
    event = EventFactory()
    signup(client, next_url=event.get_absolute_url())
    response = confirm(client, mailoutbox)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("welcome"))
    page = client.get(response.headers["Location"]).content.decode()
    assert "Din profil är privat" in page
    assert f'href="{event.get_absolute_url()}"' in page
    member = Member.objects.get(email="adrian@example.org")
    assert not member.is_public
    assert not Follow.objects.filter(member=member).exists()


def test_welcome_makes_the_profile_public_only_when_asked(client):
    member = MemberFactory(is_public=False)
    client.force_login(member)
    client.get(reverse("welcome"))
    member.refresh_from_db()
    assert not member.is_public
    response = client.post(reverse("welcome"), {"action": "public"}, follow=True)
    member.refresh_from_db()
    assert member.is_public
    assert "Din profil är offentlig nu" in response.content.decode()


def test_welcome_turns_public_interests_into_follows_and_names_the_rest(client):
    # "klarspråk" is a topic in public use (an event carries it); "hemligt" only this private profile.
    EventFactory().tags.add("klarspråk")
    member = MemberFactory(is_public=False)
    member.interests.add("klarspråk", "hemligt")
    client.force_login(member)
    page = client.get(reverse("welcome")).content.decode()
    assert 'value="klarspråk"' in page
    assert 'value="hemligt"' not in page
    assert "Inget offentligt bär de här intressena ännu" in page
    response = client.post(
        reverse("welcome"), {"action": "follow-topics", "topic": ["klarspråk", "hemligt"]}, follow=True
    )
    assert list(Follow.objects.filter(member=member).values_list("tag__name", flat=True)) == ["klarspråk"]
    assert "Du följer 1 ämne nu" in response.content.decode()


def test_welcome_shows_meetups_in_a_city_and_follows_it_on_request(client):
    EventFactory(title="Frukost i Malmö", city="Malmö")
    EventFactory(title="Fika i Umeå", city="Umeå")
    member = MemberFactory()
    client.force_login(member)
    page = client.get(reverse("welcome") + "?stad=malmö").content.decode()
    assert "Frukost i Malmö" in page
    assert "Fika i Umeå" not in page
    client.post(reverse("welcome"), {"action": "follow-city", "city": "Malmö"})
    assert Follow.objects.get(member=member).city == "Malmö"


def test_welcome_follow_city_that_has_no_events_says_so_and_changes_nothing(client):
    member = MemberFactory()
    client.force_login(member)
    response = client.post(reverse("welcome"), {"action": "follow-city", "city": "Atlantis"}, follow=True)
    assert response.status_code == 200
    assert not Follow.objects.filter(member=member).exists()


def test_welcome_next_refuses_another_site(client):
    client.force_login(MemberFactory())
    page = client.get(reverse("welcome") + "?next=https://evil.example/").content.decode()
    assert 'href="https://evil.example/"' not in page


def test_welcome_asks_visitors_to_sign_in(client):
    response = client.get(reverse("welcome"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))
