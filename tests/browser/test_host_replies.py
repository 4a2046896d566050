"""Replies to a host's message: the host ticks whether replies reach their own address (off unless
ticked; the form says every recipient then sees it), and an attendee who got a message without it writes
to the hosts from the event page. At 375 and 1280 px, in Swedish and English."""

from pathlib import Path

import pytest
from django.urls import reverse

from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory
from tests.helpers.browser import activate, new_page

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1280, 800), "mobile": (375, 667)}
SHOTS = Path("var/screenshots")
TEXT = {
    "sv": {
        "replies": "Låt svar komma till min e-postadress",
        "who": "Alla mottagare ser då din adress, {email}.",
        "send": "Skicka",
        "contact": "Skriv till värdarna",
        "contact_send": "Skicka till värdarna",
        "sent": "Ditt meddelande är på väg till värdarna.",
    },
    "en": {
        "replies": "Let replies reach my email address",
        "who": "Every recipient then sees your address, {email}.",
        "send": "Send",
        "contact": "Write to the hosts",
        "contact_send": "Send to the hosts",
        "sent": "Your message is on its way to the hosts.",
    },
}


def _hosted():
    host = MemberFactory(name="Alva Arrangör", email="alva@example.org")
    event = EventFactory(title="Klarspråksfika i Uppsala", capacity=10, city="Uppsala")
    event.organisers.add(host)
    attendee = MemberFactory(name="Deltagare Ett", email="ett@example.org")
    rsvp_create(event=event, member=attendee)
    return event, host, attendee


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_host_chooses_that_replies_reach_them(browser, live_server, mailoutbox, language, size):
    event, host, attendee = _hosted()
    mailoutbox.clear()
    text = TEXT[language]
    page = new_page(browser, live_server, language=language, size=SIZES[size], javascript=False, member=host)
    page.goto(live_server.url + reverse("events:host-message", args=[event.slug]))
    replies = page.get_by_label(text["replies"])
    assert not replies.is_checked()
    assert page.get_by_text(text["who"].format(email=host.email), exact=False).is_visible()
    page.locator("#id_audience_0").check()
    page.locator("#id_subject").fill("Lokalen")
    page.locator("#id_body").fill("Vi ses i rum 3.")
    replies.check()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"host-message-{language}-{size}.png"), full_page=True)
    activate(page.get_by_role("button", name=text["send"], exact=True))
    page.wait_for_load_state()
    page.context.close()

    (mail,) = [mail for mail in mailoutbox if "Lokalen" in mail.subject]
    assert mail.to == [attendee.email]
    assert mail.reply_to == [host.email]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_attendee_writes_to_the_hosts_from_the_event_page(browser, live_server, mailoutbox, language, size):
    event, host, attendee = _hosted()
    mailoutbox.clear()
    text = TEXT[language]
    page = new_page(browser, live_server, language=language, size=SIZES[size], member=attendee)
    page.goto(live_server.url + event.get_absolute_url())
    page.get_by_role("link", name=text["contact"], exact=True).click()
    page.locator("#id_body").fill("Finns det hiss till lokalen?")
    page.screenshot(path=str(SHOTS / f"host-contact-{language}-{size}.png"), full_page=True)
    page.get_by_role("button", name=text["contact_send"], exact=True).click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    assert page.get_by_text(text["sent"]).is_visible()
    page.context.close()

    (mail,) = [mail for mail in mailoutbox if mail.to == [host.email]]
    assert mail.reply_to == [attendee.email]
    assert "Finns det hiss till lokalen?" in mail.body
