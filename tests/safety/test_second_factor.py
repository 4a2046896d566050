"""Staff powers on the site are used only in a session that signed in with a second factor.

A member made an editor signs in with a password alone: no review queue, no attendee CSV, no private
profile; they are sent to set up (or type) their authenticator code, and come back to the page.
"""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory, organisers_group
from tests.helpers.sessions import force_login_with_second_factor
from tests.helpers.staff import PASSWORD, current_code, sign_in_with_second_factor

pytestmark = pytest.mark.django_db

NEEDS = "Behöver teckentolk"


@pytest.fixture
def world():
    event = EventFactory(title="Frukost i Luleå")
    attendee = MemberFactory(name="Ada Deltagare", email="ada@example.org")
    rsvp_create(event=event, member=attendee, accessibility_needs=NEEDS)
    EventFactory(title="Väntande frukost", status="pending", proposed_by=MemberFactory())
    private = MemberFactory(name="Petra Privat", is_public=False)
    return {
        "queue": reverse("events:review-list"),
        "csv": reverse("events:organiser-attendees-csv", args=[event.slug]),
        "profile": private.get_absolute_url(),
    }


def password_only(staff) -> Client:
    """Signed in through the real form with the password alone (staff without an authenticator app)."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)
    return client


def test_staff_signed_in_with_a_password_alone_get_no_staff_power(world):
    client = password_only(MemberFactory(is_staff=True, is_superuser=True, authenticator=False))
    for path in world.values():
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == reverse("mfa_activate_totp"), path
    csv = client.get(world["csv"])
    assert NEEDS not in csv.content.decode() and "ada@example.org" not in csv.content.decode()


@pytest.mark.django_db(transaction=True)  # allauth records the new app on commit, as in production
def test_staff_without_an_app_set_it_up_and_come_back_to_the_private_profile(world):
    staff = MemberFactory(is_staff=True, authenticator=False)
    client = password_only(staff)
    assert client.get(world["profile"]).headers["Location"] == reverse("mfa_activate_totp")
    # Signed in minutes ago, allauth asks for no password again before an app is added.
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    done = client.post(reverse("mfa_activate_totp"), {"code": code})
    # The recovery codes, shown once, then the way on to the page they came for.
    codes = client.get(done.headers["Location"]).content.decode()
    assert f'href="{world["profile"]}"' in codes
    assert "Petra Privat" in client.get(world["profile"], follow=True).content.decode()


def test_staff_with_an_app_but_a_session_without_its_code_type_it_and_come_back(world):
    staff = MemberFactory(is_staff=True)  # the factory activates TOTP for staff
    client = Client()
    client.force_login(staff)  # e.g. a session from before the app was set up
    response = client.get(world["queue"])
    assert (
        response.headers["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fevenemang%2Fgranskning%2F"
    )
    back = client.post(response.headers["Location"], {"code": current_code()})
    assert back.headers["Location"] == world["queue"]
    assert "Väntande frukost" in client.get(world["queue"]).content.decode()


def test_staff_signed_in_with_the_second_factor_use_their_powers(world):
    client = Client()
    sign_in_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    assert "Väntande frukost" in client.get(world["queue"]).content.decode()
    csv = client.get(world["csv"]).content.decode("utf-8-sig")
    assert NEEDS in csv and "ada@example.org" in csv
    assert "Petra Privat" in client.get(world["profile"]).content.decode()


def test_the_organiser_role_reviews_only_with_a_second_factor(world):
    organiser = MemberFactory()
    organiser.groups.add(organisers_group())
    client = Client()
    client.force_login(organiser)
    assert client.get(world["queue"]).headers["Location"] == reverse("mfa_activate_totp")
    force_login_with_second_factor(client, organiser)
    assert "Väntande frukost" in client.get(world["queue"]).content.decode()


def test_a_member_without_any_power_gets_404_not_a_second_factor_page(world):
    client = Client()
    force_login_with_second_factor(client, MemberFactory())
    assert [client.get(path).status_code for path in world.values()] == [404, 404, 404]
