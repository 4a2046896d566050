"""A new member proposes a breakfast meetup, staff approve it, a second member who follows its city gets
the mail, RSVPs and is checked in at the door: keyboard only, with JavaScript off, in Swedish and English."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from events.forms import STOCKHOLM
from events.models import Event, Rsvp
from events.services.follows import follow_create
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory
from tests.helpers.browser import activate, new_page

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "sv": {
        "send": "Skicka förslaget",
        "approve": "Godkänn",
        "attend": "Anmäl dig",
        "search": "Sök på namn",
        "search_button": "Sök",
        "arrived": "1 av 1 på plats",
        "save": "Spara ändringarna",
        "send_message": "Skicka",
        "cancel": "Ja, ställ in evenemanget",
        "writes": "Hanna Värd, värd för det här evenemanget, skriver:",
        "cancelled": "Tyvärr är det här evenemanget inställt.",
    },
    "en": {
        "send": "Send the proposal",
        "approve": "Approve",
        "attend": "Attend",
        "search": "Search by name",
        "search_button": "Search",
        "arrived": "1 of 1 arrived",
        "save": "Save changes",
        "send_message": "Send",
        "cancel": "Yes, cancel the event",
        "writes": "Hanna Värd, a host of this event, writes:",
        "cancelled": "We are sorry: this event is cancelled.",
    },
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_breakfast_proposed_approved_rsvped_and_checked_in(browser, live_server, mailoutbox, language):
    words = WORDS[language]
    host = MemberFactory(name="Nora Nyvärd")
    staff = MemberFactory(name="Stina Personal", is_staff=True, is_superuser=True)
    guest = MemberFactory(name="Gustav Gäst", email="gustav@example.org", preferred_language=language)
    EventFactory(city="Umeå")  # a city is followed from its events
    follow_create(member=guest, kind="city", city="Umeå")
    day = (timezone.now() + timedelta(days=14)).astimezone(STOCKHOLM).strftime("%Y-%m-%d")

    # The new member proposes a breakfast.
    page = new_page(browser, live_server, language=language, javascript=False, member=host)
    page.goto(live_server.url + reverse("events:event-propose"))
    page.locator("#id_title").fill("Frukost i Umeå om klarspråk")
    page.locator("#id_kind").select_option("breakfast")
    page.locator("#id_summary").fill("Vi äter frukost och pratar klarspråk.")
    page.locator("#id_start").fill(f"{day}T07:30")
    page.locator("#id_end").fill(f"{day}T09:00")
    page.locator("#id_city").fill("Umeå")
    activate(page.get_by_role("button", name=words["send"]))
    page.wait_for_load_state()
    event = Event.objects.get(title="Frukost i Umeå om klarspråk")
    assert event.status == Event.Status.PENDING
    assert page.locator("script").count() == 0
    page.context.close()

    # Staff approve it from the queue.
    page = new_page(browser, live_server, language=language, javascript=False, member=staff)
    page.goto(live_server.url + reverse("events:review-list"))
    activate(page.get_by_role("button", name=words["approve"]))
    page.wait_for_load_state()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    page.context.close()

    # The second member follows Umeå: one mail, and its link leads to the event.
    told = [mail for mail in mailoutbox if mail.to == ["gustav@example.org"]]
    assert len(told) == 1
    assert "Frukost i Umeå om klarspråk" in told[0].subject + told[0].body
    link = next(word for word in told[0].body.split() if word.endswith(event.get_absolute_url()))
    assert link.startswith("http")

    # They RSVP, from the event the mail named.
    page = new_page(browser, live_server, language=language, javascript=False, member=guest)
    page.goto(live_server.url + event.get_absolute_url())
    activate(page.get_by_role("button", name=words["attend"], exact=True))
    page.wait_for_url(live_server.url + event.get_absolute_url())
    assert Rsvp.objects.get(event=event, member=guest).status == Rsvp.Status.GOING
    page.context.close()

    # The host checks them in at the door, on a phone.
    page = new_page(browser, live_server, language=language, javascript=False, member=host, size=(375, 667))
    page.goto(live_server.url + reverse("events:host-checkin", args=[event.slug]))
    page.get_by_label(words["search"]).fill("gustav")
    activate(page.get_by_role("button", name=words["search_button"], exact=True))
    page.wait_for_load_state()
    activate(page.get_by_role("button", name="Gustav Gäst"))
    page.wait_for_load_state()
    assert page.get_by_text(words["arrived"]).is_visible()
    assert Rsvp.objects.get(event=event, member=guest).arrived_at is not None
    page.context.close()


# --- The host's tools, each with the mail the attendees receive --------------------------------------


def _hosted(language: str) -> dict:
    """An event in Umeå with one place: one member going, one waiting, both reading mail in ``language``."""
    host = MemberFactory(name="Hanna Värd", preferred_language=language)
    event = EventFactory(title="Frukost i Umeå", capacity=1, city="Umeå")
    event.organisers.add(host)
    going = MemberFactory(name="Anna Ankom", email="anna@example.org", preferred_language=language)
    waiting = MemberFactory(name="Cilla Väntar", email="cilla@example.org", preferred_language=language)
    rsvp_create(event=event, member=going)
    rsvp_create(event=event, member=waiting)
    return {"host": host, "event": event, "everyone": ["anna@example.org", "cilla@example.org"]}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_host_changes_the_time_and_the_attendees_mail_says_the_new_time(
    browser, live_server, mailoutbox, language
):
    hosted = _hosted(language)
    event = hosted["event"]
    later = (event.start + timedelta(days=1, hours=2)).astimezone(STOCKHOLM).replace(second=0, microsecond=0)
    mailoutbox.clear()

    page = new_page(browser, live_server, language=language, javascript=False, member=hosted["host"])
    page.goto(live_server.url + reverse("events:host-edit", args=[event.slug]))
    page.locator("#id_start").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_end").fill((later + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    activate(page.get_by_role("button", name=words(language)["save"], exact=True))
    page.wait_for_load_state()
    page.context.close()

    assert Event.objects.get(pk=event.pk).start == later
    with translation.override(language):
        new_time = formats.time_format(later)
    changed = [mail for mail in mailoutbox if new_time in mail.body]
    assert sorted(mail.to[0] for mail in changed) == hosted["everyone"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_host_messages_attendees_and_they_receive_it(browser, live_server, mailoutbox, language):
    hosted = _hosted(language)
    mailoutbox.clear()

    page = new_page(browser, live_server, language=language, javascript=False, member=hosted["host"])
    page.goto(live_server.url + reverse("events:host-message", args=[hosted["event"].slug]))
    page.locator("#id_audience_2").focus()  # both those going and those waiting
    page.keyboard.press("Space")
    page.locator("#id_subject").fill("Ta med en mugg")
    page.locator("#id_body").fill("Vi bjuder på kaffe, men ta gärna med en egen mugg.")
    activate(page.get_by_role("button", name=words(language)["send_message"], exact=True))
    page.wait_for_load_state()
    page.context.close()

    sent = [mail for mail in mailoutbox if "Ta med en mugg" in mail.subject]
    assert sorted(mail.to[0] for mail in sent) == hosted["everyone"]
    assert all("ta gärna med en egen mugg" in mail.body for mail in sent)
    assert all(words(language)["writes"] in mail.body for mail in sent)  # who wrote it


@pytest.mark.parametrize("language", ["sv", "en"])
def test_host_cancels_with_a_message_and_everyone_going_or_waiting_is_told(
    browser, live_server, mailoutbox, language
):
    hosted = _hosted(language)
    mailoutbox.clear()

    page = new_page(browser, live_server, language=language, javascript=False, member=hosted["host"])
    page.goto(live_server.url + reverse("events:host-cancel", args=[hosted["event"].slug]))
    page.locator("#id_message").fill("Lokalen är inte ledig. Vi ses i vår!")
    activate(page.get_by_role("button", name=words(language)["cancel"], exact=True))
    page.wait_for_load_state()
    page.context.close()

    assert Event.objects.get(pk=hosted["event"].pk).status == Event.Status.CANCELLED
    told = [mail for mail in mailoutbox if words(language)["cancelled"] in mail.body]
    assert sorted(mail.to[0] for mail in told) == hosted["everyone"]
    assert all("Lokalen är inte ledig. Vi ses i vår!" in mail.body for mail in told)


def words(language: str) -> dict:
    return WORDS[language]
