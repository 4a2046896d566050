"""A signed-in member's switch of language (the footer's switcher) is their mail's language from then on."""

import pytest
from django.urls import reverse

from members.models import Member
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _switch(client, language: str, next_url: str = "/om/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url}, follow=True)


def test_a_members_switch_to_english_is_their_mail_language_and_the_page_says_so(client):
    member = MemberFactory(preferred_language="sv")
    client.force_login(member)
    page = _switch(client, "en").content.decode()
    assert "Mail to you is now sent in English." in page
    assert Member.objects.get(pk=member.pk).preferred_language == "en"
    # Switching back says so in Swedish, and says nothing when nothing changed.
    assert "Mejl till dig skickas nu på svenska." in _switch(client, "sv").content.decode()
    assert "Mejl till dig" not in _switch(client, "sv").content.decode()
    assert Member.objects.get(pk=member.pk).preferred_language == "sv"


def test_a_visitors_switch_changes_the_page_only(client):
    page = _switch(client, "en")
    assert page.status_code == 200
    assert 'lang="en"' in page.content.decode()
    assert "Mail to you" not in page.content.decode()


def test_an_unknown_language_changes_nothing(client):
    member = MemberFactory(preferred_language="sv")
    client.force_login(member)
    _switch(client, "xx")
    assert Member.objects.get(pk=member.pk).preferred_language == "sv"


def test_after_the_switch_the_rsvp_confirmation_comes_in_english(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    member = MemberFactory(preferred_language="sv")
    event = EventFactory(title="Mingel", capacity=5)
    client.force_login(member)
    _switch(client, "en")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:rsvp-create", args=[event.slug]), {})
    (confirmation,) = mailoutbox
    assert "You are coming: Mingel" in confirmation.subject


def test_after_the_switch_allauths_password_reset_mail_comes_in_english(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    member = MemberFactory(preferred_language="sv")
    client.force_login(member)
    _switch(client, "en")
    client.logout()
    # Asked for from a Swedish page: the mail follows the member's choice, not the page.
    client.cookies.pop("django_language", None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/password/reset/", {"email": member.email})
    (reset,) = mailoutbox
    assert "Choose a new password" in reset.subject
    assert "lösenord" not in reset.body
