"""Every mail allauth sends for the portal is in the portal's own words, in both languages.

allauth's boilerplate named the host and port ("127.0.0.1:8413"), said "Vänligen" and wrote English
in Title Case; the confirmation mail said "bekräfta" and the page behind its link "Verifiera".
"""

import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.core import context as allauth_context
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.org"
PREFIX = "[One Team Gov Sverige] "

# allauth's notices of a change to an account, as the portal can send them (settings: email
# notifications on, two-factor by authenticator app and recovery codes).
NOTICES = {
    "account/email/password_changed": ({}, "Your password has changed", "Ditt lösenord har ändrats"),
    "account/email/password_set": ({}, "Your password is set", "Ditt lösenord är valt"),
    "account/email/password_reset": ({}, "Your password has been reset", "Ditt lösenord har återställts"),
    "account/email/email_changed": (
        {"from_email": "gammal@example.org", "to_email": "ny@example.org"},
        "Your email address has changed",
        "Din e-postadress har ändrats",
    ),
    "account/email/email_confirm": ({}, "Your email address is confirmed", "Din e-postadress är bekräftad"),
    "account/email/email_deleted": (
        {"deleted_email": "gammal@example.org"},
        "An email address was removed from your account",
        "En e-postadress har tagits bort från ditt konto",
    ),
    "mfa/email/totp_activated": ({}, "Two-factor authentication is on", "Tvåstegsverifieringen är på"),
    "mfa/email/totp_deactivated": ({}, "Two-factor authentication is off", "Tvåstegsverifieringen är av"),
    "mfa/email/recovery_codes_generated": (
        {},
        "New recovery codes were made",
        "Nya återställningskoder har skapats",
    ),
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _check(message, *, language: str, subject: str):
    """What every account mail must hold, in either language."""
    assert message.subject == PREFIX + subject
    body = message.body
    assert "One Team Gov Sverige" in body
    assert SITE in body  # signed with the portal's address
    assert "testserver" not in body + message.subject  # the request's host, never the portal's name
    for url in re.findall(r"https?://\S+", body):
        assert url == SITE or url.startswith(SITE + "/"), url
    words = (message.subject + body).lower()
    # An address is confirmed ("bekräfta"), never verified; two-factor is "tvåstegsverifiering".
    assert "vänligen" not in words and not re.search(r"(?<!tvåstegs)verifier", words)
    if language == "en":
        # Sentence case: no capitalised word after the first, but the portal's name.
        rest = subject.replace("One Team Gov Sverige", "").split()[1:]
        assert not [word for word in rest if word[0].isupper()], subject
        assert "Hello" in body
    else:
        assert "Hej" in body


def _member(language: str, **fields):
    return MemberFactory(name="Ada Lind", preferred_language=language, **fields)


def _request(member=None):
    request = RequestFactory().get("/", HTTP_USER_AGENT="Firefox")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    if member is not None:
        request.user = member
    return request


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_signup_confirmation_and_the_page_behind_its_link_say_confirm(client, mailoutbox, language):
    client.cookies["django_language"] = language
    client.post(
        reverse("account_signup"),
        {
            "name": "Ada Lind",
            "email": "ada@example.org",
            "password1": "ett-långt-lösenord-1",
            "accept_principles": "on",
        },
    )
    (message,) = mailoutbox
    _check(
        message,
        language=language,
        subject={"sv": "Bekräfta din e-postadress", "en": "Confirm your email address"}[language],
    )
    assert {"sv": "bekräfta din e-postadress", "en": "confirm your email address"}[language] in message.body
    link = re.search(rf"{SITE}(/konto/confirm-email/\S+)", message.body).group(1)
    page = client.get(link).content.decode()
    assert {"sv": "Bekräfta e-postadressen", "en": "Confirm email address"}[language] in page
    assert "Verifiera" not in page and "Vänligen" not in page
    waiting = client.get(reverse("account_email_verification_sent")).content.decode()
    assert {"sv": "Bekräfta din e-postadress", "en": "Confirm your email address"}[language] in waiting


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_new_confirmation_of_an_address(mailoutbox, language):
    member = _member(language)
    address = EmailAddress.objects.get(user=member)
    EmailConfirmationHMAC(address).send(_request(member), signup=False)
    (message,) = mailoutbox
    _check(
        message,
        language=language,
        subject={"sv": "Bekräfta din e-postadress", "en": "Confirm your email address"}[language],
    )
    assert "/konto/confirm-email/" in message.body


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_password_reset_and_the_unknown_address(client, mailoutbox, language):
    member = _member(language)
    client.cookies["django_language"] = language
    client.post(reverse("account_reset_password"), {"email": member.email})
    client.post(reverse("account_reset_password"), {"email": "okand@example.org"})
    reset, unknown = mailoutbox
    _check(
        reset,
        language=language,
        subject={"sv": "Välj ett nytt lösenord", "en": "Choose a new password"}[language],
    )
    assert f"{SITE}/konto/password/reset/key/" in reset.body
    _check(
        unknown,
        language=language,
        subject={"sv": "Inget konto med den här e-postadressen", "en": "No account with this email address"}[
            language
        ],
    )
    assert f"{SITE}/konto/signup/" in unknown.body


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_signup_with_an_address_that_has_an_account(client, mailoutbox, language):
    _member(language, email="ada@example.org")
    client.cookies["django_language"] = language
    client.post(
        reverse("account_signup"),
        {
            "name": "Ada Lind",
            "email": "ada@example.org",
            "password1": "ett-långt-lösenord-1",
            "accept_principles": "on",
        },
    )
    (message,) = mailoutbox
    _check(
        message,
        language=language,
        subject={"sv": "Du har redan ett konto", "en": "You already have an account"}[language],
    )
    assert f"{SITE}/konto/password/reset/" in message.body


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_sign_in_code(client, mailoutbox, language):
    member = _member(language)
    client.post(reverse("account_request_login_code"), {"email": member.email})
    (message,) = mailoutbox
    _check(
        message, language=language, subject={"sv": "Din inloggningskod", "en": "Your sign-in code"}[language]
    )
    assert re.search(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$", message.body, re.MULTILINE)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("template", NOTICES)
def test_every_notice_of_a_change_to_the_account(mailoutbox, language, template):
    context, english, swedish = NOTICES[template]
    member = _member(language)
    request = _request(member)
    with allauth_context.request_context(request):
        get_adapter(request).send_notification_mail(template, member, context)
    (message,) = mailoutbox
    _check(message, language=language, subject={"sv": swedish, "en": english}[language])
    assert "Ada Lind" in message.body
    assert "Firefox" in message.body  # where the change came from
