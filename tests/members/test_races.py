"""A create that a unique constraint guards, sent twice at the same moment (a double click, two tabs):
the second answers as the form's ordinary outcome, never a 500. Real threads on PostgreSQL, each with
a control that shows the same harness makes the race happen."""

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from members.models import Member
from tests.factories import MemberFactory
from tests.helpers.races import at_once

pytestmark = pytest.mark.django_db(transaction=True)

SIGNUP = {
    "name": "Jörgen Ek",
    "email": "jorgen@malmö.se",
    "password1": "ett-långt-lösenord-för-test",
    "accept_principles": "on",
}


def _sign_up(data):
    def post():
        response = Client(raise_request_exception=False).post(reverse("account_signup"), data)
        return response.status_code, response.headers.get("Location")

    return post


def test_signup_sent_twice_at_once_answers_check_your_mail_both_times():
    results = at_once([_sign_up(SIGNUP), _sign_up(SIGNUP)], table="members_member")

    assert results == [(302, reverse("account_email_verification_sent"))] * 2
    assert Member.objects.count() == 1
    assert EmailAddress.objects.count() == 1


def test_signup_twice_at_once_in_nfc_and_nfd_is_one_member():
    nfd = SIGNUP | {"email": "jorgen@malmo\u0308.se"}
    results = at_once([_sign_up(SIGNUP), _sign_up(nfd)], table="members_member")

    assert results == [(302, reverse("account_email_verification_sent"))] * 2
    assert list(Member.objects.values_list("email", flat=True)) == ["jorgen@malmö.se"]


def test_signup_without_the_guard_answers_500_to_one_of_two(settings):
    """The control: allauth's own sign-up form (ours without its guard) in the same harness."""
    settings.ACCOUNT_FORMS = settings.ACCOUNT_FORMS | {"signup": "allauth.account.forms.SignupForm"}

    results = at_once([_sign_up(SIGNUP), _sign_up(SIGNUP)], table="members_member")

    assert sorted(status for status, _location in results) == [302, 500]
    assert Member.objects.count() == 1


def _add_address(member, email):
    client = Client(raise_request_exception=False)
    client.post(reverse("account_login"), {"login": member.email, "password": "correct-horse-battery"})
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})

    def post():
        response = client.post(reverse("account_email"), {"email": email, "action_add": ""})
        return response.status_code, response.headers.get("Location")

    return post


@pytest.fixture
def member():
    return MemberFactory(email="kim@example.org")


def test_adding_an_address_twice_at_once_adds_it_once(member):
    calls = [_add_address(member, "kim.nilsson@example.org") for _ in range(2)]

    results = at_once(calls, table="account_emailaddress")

    assert results == [(302, reverse("account_email"))] * 2
    assert list(EmailAddress.objects.filter(user=member, primary=False).values_list("email", flat=True)) == [
        "kim.nilsson@example.org"
    ]


def test_adding_an_address_twice_at_once_without_the_guard_fails_once(member):
    """The control: the insert that allauth's form makes, twice in the same harness."""

    def add():
        return EmailAddress.objects.create(user=member, email="kim.nilsson@example.org")

    results = at_once([add, add], table="account_emailaddress")

    assert sum(isinstance(result, IntegrityError) for result in results) == 1
