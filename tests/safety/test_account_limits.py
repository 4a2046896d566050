"""Guesses are limited per client address and per account, for passwords, mailed codes and the second
factor, and no stranger can keep a member from signing in by a code or a reset (ACCOUNT_RATE_LIMITS).

The limits live in the cache the tests use (a real LocMemCache per test, tests/conftest.py), as in
production they live in the shared cache; the cross-worker case is tests/safety/test_rate_limits.py.
"""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client
from django.urls import reverse

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
TOO_MANY = "För många misslyckade inloggningsförsök"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ACCOUNT_LIMIT = 20  # wrong guesses an hour for one account, from any number of addresses


def address(n: int) -> dict:
    """A different client address for each attempt: a spread-out attacker whom no per-address limit stops."""
    return {"REMOTE_ADDR": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}


def sign_in(client, email, password, n):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **address(n))


def valid_codes(secret: str) -> set[str]:
    return {format_hotp_value(hotp_value(secret, counter)) for counter in yield_hotp_counters_from_time()}


def wrong_code(secret: str) -> str:
    valid = valid_codes(secret)
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in valid)


def code_in(message) -> str:
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE).group(1)


def test_wrong_passwords_from_many_addresses_stop_at_the_accounts_limit(client):
    """With per-address limits only, an attacker spread over many addresses could guess for ever."""
    member = MemberFactory(email="mal@example.org")
    for n in range(ACCOUNT_LIMIT):
        response = sign_in(client, member.email, f"fel-lösenord-{n}", n)
        assert TOO_MANY not in response.content.decode()
    refused = sign_in(client, member.email, PASSWORD, ACCOUNT_LIMIT)
    assert TOO_MANY in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_member_whose_password_is_locked_still_signs_in_by_code_and_by_reset(client, mailoutbox):
    member = MemberFactory(email="mal@example.org")
    for n in range(ACCOUNT_LIMIT):
        sign_in(client, member.email, f"fel-lösenord-{n}", n)
    assert TOO_MANY in sign_in(client, member.email, PASSWORD, 9999).content.decode()

    # By a code, from the member's own address.
    own = {"REMOTE_ADDR": "198.51.100.9"}
    client.post(reverse("account_request_login_code"), {"email": member.email}, **own)
    response = client.post(reverse("account_confirm_login_code"), {"code": code_in(mailoutbox[-1])}, **own)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    client.logout()

    # By a reset, which also lifts the lock on the password.
    mailoutbox.clear()
    client.post(reverse("account_reset_password"), {"email": member.email}, **own)
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    form_url = client.get(link, **own).headers["Location"]
    new = "ett-nytt-lösenord-99"
    client.post(form_url, {"password1": new, "password2": new}, **own)
    client.logout()
    response = client.post(reverse("account_login"), {"login": member.email, "password": new}, **own)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_one_attackers_address_is_refused_before_the_account_is(client):
    member = MemberFactory(email="mal@example.org")
    attacker = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(10):
        client.post(
            reverse("account_login"), {"login": member.email, "password": "fel-lösenord-123"}, **attacker
        )
    refused = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD}, **attacker)
    assert TOO_MANY in refused.content.decode()
    # The member, from their own address, signs in with the password at once.
    response = sign_in(client, member.email, PASSWORD, 777)
    assert response.status_code == 302


def test_second_factor_guesses_are_limited_per_account(client):
    """login_failed held only per-address limits, and with that dropped allauth's per-account one for
    the second factor: someone with the password could try every code from enough addresses."""
    member = MemberFactory(email="tva-steg@example.org")
    TOTP.activate(member, SECRET)
    response = sign_in(client, member.email, PASSWORD, 0)
    assert response.headers["Location"] == reverse("mfa_authenticate")
    wrong = wrong_code(SECRET)
    for n in range(ACCOUNT_LIMIT):
        page = client.post(reverse("mfa_authenticate"), {"code": wrong}, **address(n + 1))
        assert TOO_MANY not in page.content.decode()
    right = next(iter(valid_codes(SECRET)))
    refused = client.post(reverse("mfa_authenticate"), {"code": right}, **address(5000))
    assert TOO_MANY in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_second_factor_code_works_below_the_limit(client):
    # The control: the same sign-in with a few wrong codes first still gets in.
    member = MemberFactory(email="tva-steg@example.org")
    TOTP.activate(member, SECRET)
    sign_in(client, member.email, PASSWORD, 0)
    for n in range(3):
        client.post(reverse("mfa_authenticate"), {"code": wrong_code(SECRET)}, **address(n + 1))
    counters = list(yield_hotp_counters_from_time())
    right = format_hotp_value(hotp_value(SECRET, counters[len(counters) // 2]))
    client.post(reverse("mfa_authenticate"), {"code": right}, **address(99))
    assert client.session["_auth_user_id"] == str(member.pk)


def test_codes_asked_for_an_address_are_limited_per_recipient(mailoutbox):
    """A stranger cannot flood a member's mailbox with sign-in codes from many addresses."""
    member = MemberFactory(email="kod@example.org")
    for n in range(6):  # each from a fresh browser and address
        Client().post(reverse("account_request_login_code"), {"email": member.email}, **address(n))
    assert len([m for m in mailoutbox if m.to == [member.email]]) == 3
