"""Following a city, by keyboard only and with JavaScript off, in Swedish and English: a member picks a
city in the event list's filter and follows it; staff publish an event there; the member's mail holds the
event and RFC 8058 one-click unsubscribe; the link works without signing in and removes that follow
only. Then the member follows the city again from the profile page."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.urls import reverse
from django.utils.module_loading import import_string

from events.models import Event, Follow
from events.services.events import event_publish
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "sv": {
        "city": "Ort",
        "show": "Visa evenemang",
        "follow": "Följ",
        "following": "Du följer Umeå (direkt).",
        "stop": "Sluta följa",
        "stopped": "Du följer inte längre detta",
        "subject": "Nytt evenemang: Frukost i Umeå",
        "follow_city": "Följ staden",
        "followed": "Du följer Umeå: veckosammanfattning.",
        "weekly": "Veckosammanfattning",
    },
    "en": {
        "city": "City",
        "show": "Show events",
        "follow": "Follow",
        "following": "You follow Umeå (at once).",
        "stop": "Stop following",
        "stopped": "You no longer follow this",
        "subject": "New event: Frukost i Umeå",
        "follow_city": "Follow city",
        "followed": "You follow Umeå: weekly digest.",
        "weekly": "Weekly digest",
    },
}


def _page(browser, live_server, *, language: str, member=None):
    """A browser without JavaScript that speaks ``language``, signed in as ``member`` if one is given."""
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if member is not None:
        session = import_string(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "email": member.email}
        ]
        session.save()
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}
        )
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _activate(locator) -> None:
    """Keyboard only: focus the element and press Enter, as a keyboard user does."""
    locator.focus()
    locator.press("Enter")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_member_follows_a_city_gets_the_mail_and_unsubscribes_without_signing_in(
    browser, live_server, mailoutbox, language
):
    words = WORDS[language]
    EventFactory(title="Meetup i Göteborg", city="Göteborg")
    EventFactory(title="Workshop i Umeå", city="Umeå")
    member = MemberFactory(name="Maja Medlem", preferred_language=language)
    bystander = MemberFactory(preferred_language=language)
    page = _page(browser, live_server, language=language, member=member)

    # The event list, filtered to Umeå with the keyboard; the follow button appears for that city.
    page.goto(live_server.url + reverse("events:event-list"))
    city = page.get_by_label(words["city"], exact=True)
    city.focus()
    page.keyboard.type("Ume")
    assert city.input_value() == "Umeå"
    _activate(page.get_by_role("button", name=words["show"]))
    page.wait_for_url(re.compile(r"city=Ume"))
    _activate(page.get_by_role("button", name=words["follow"], exact=True))
    page.wait_for_url(re.compile(r"city=Ume"))
    assert page.get_by_text(words["following"]).is_visible()
    follow = Follow.objects.get(member=member)
    assert (follow.kind, follow.city, follow.frequency) == ("city", "Umeå", "at_once")

    # Staff publish a new event in Umeå (the service the admin calls); the fan-out runs as a job.
    draft = EventFactory(title="Frukost i Umeå", city="Umeå", status=Event.Status.DRAFT)
    event_publish(event=draft)
    mails = [mail for mail in mailoutbox if mail.to == [member.email]]
    assert len(mails) == 1 and not [mail for mail in mailoutbox if mail.to == [bystander.email]]
    mail = mails[0]
    assert words["subject"] in mail.subject
    assert draft.get_absolute_url() in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(https?://\S+)>", mail.extra_headers["List-Unsubscribe"]).group(1)
    assert unsubscribe in mail.body

    # The link from the mail, in a browser that is not signed in: one confirmation, then it is gone.
    page.context.close()
    anonymous = _page(browser, live_server, language=language)
    anonymous.goto(live_server.url + urlsplit(unsubscribe).path)
    _activate(anonymous.get_by_role("button", name=words["stop"]))
    anonymous.wait_for_load_state()
    assert anonymous.get_by_role("heading", level=1).inner_text() == words["stopped"]
    assert not Follow.objects.filter(member=member).exists()
    assert anonymous.locator("script:not([src^='/static/js/'])").count() == 0
    anonymous.context.close()

    # Back on the profile page, signed in: follow the city again, weekly this time.
    page = _page(browser, live_server, language=language, member=member)
    page.goto(live_server.url + reverse("members:profile-edit"))
    form = page.locator("form", has=page.get_by_role("button", name=words["follow_city"]))
    select = form.get_by_label(words["city"], exact=True)
    select.focus()
    page.keyboard.type("Ume")
    assert select.input_value() == "Umeå"
    weekly = form.get_by_label(words["weekly"])
    weekly.focus()
    weekly.press("Space")
    _activate(form.get_by_role("button", name=words["follow_city"]))
    page.wait_for_url(live_server.url + reverse("members:profile-edit"))
    assert page.get_by_text(words["followed"]).is_visible()
    follow = Follow.objects.get(member=member)
    assert (follow.kind, follow.city, follow.frequency) == ("city", "Umeå", "weekly")
    page.context.close()
