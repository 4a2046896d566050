"""A new member proposes a breakfast meetup, staff approve it, a second member RSVPs and is checked in at
the door: keyboard only, with JavaScript off, in Swedish and English (issue 17)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.forms import STOCKHOLM
from events.models import Event, Rsvp
from tests.browser.test_event_page import _activate, _new_page
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "sv": {
        "send": "Skicka förslaget",
        "approve": "Godkänn",
        "attend": "Anmäl dig",
        "search": "Sök på namn",
        "search_button": "Sök",
        "arrived": "1 av 1 på plats",
    },
    "en": {
        "send": "Send the proposal",
        "approve": "Approve",
        "attend": "Attend",
        "search": "Search by name",
        "search_button": "Search",
        "arrived": "1 of 1 arrived",
    },
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_breakfast_proposed_approved_rsvped_and_checked_in(browser, live_server, language):
    words = WORDS[language]
    host = MemberFactory(name="Nora Nyvärd")
    staff = MemberFactory(name="Stina Personal", is_staff=True, is_superuser=True)
    guest = MemberFactory(name="Gustav Gäst")
    day = (timezone.now() + timedelta(days=14)).astimezone(STOCKHOLM).strftime("%Y-%m-%d")

    # The new member proposes a breakfast.
    page = _new_page(browser, live_server, language=language, javascript=False, member=host)
    page.goto(live_server.url + reverse("events:event-propose"))
    page.locator("#id_title").fill("Frukost i Umeå om klarspråk")
    page.locator("#id_kind").select_option("breakfast")
    page.locator("#id_summary").fill("Vi äter frukost och pratar klarspråk.")
    page.locator("#id_start").fill(f"{day}T07:30")
    page.locator("#id_end").fill(f"{day}T09:00")
    page.locator("#id_city").fill("Umeå")
    _activate(page.get_by_role("button", name=words["send"]))
    page.wait_for_load_state()
    event = Event.objects.get(title="Frukost i Umeå om klarspråk")
    assert event.status == Event.Status.PENDING
    assert page.locator("script").count() == 0
    page.context.close()

    # Staff approve it from the queue.
    page = _new_page(browser, live_server, language=language, javascript=False, member=staff)
    page.goto(live_server.url + reverse("events:review-list"))
    _activate(page.get_by_role("button", name=words["approve"]))
    page.wait_for_load_state()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    page.context.close()

    # A second member RSVPs.
    page = _new_page(browser, live_server, language=language, javascript=False, member=guest)
    page.goto(live_server.url + event.get_absolute_url())
    _activate(page.get_by_role("button", name=words["attend"], exact=True))
    page.wait_for_url(live_server.url + event.get_absolute_url())
    assert Rsvp.objects.get(event=event, member=guest).status == Rsvp.Status.GOING
    page.context.close()

    # The host checks them in at the door, on a phone.
    page = _new_page(browser, live_server, language=language, javascript=False, member=host, size=(375, 667))
    page.goto(live_server.url + reverse("events:host-checkin", args=[event.slug]))
    page.get_by_label(words["search"]).fill("gustav")
    _activate(page.get_by_role("button", name=words["search_button"], exact=True))
    page.wait_for_load_state()
    _activate(page.get_by_role("button", name="Gustav Gäst"))
    page.wait_for_load_state()
    assert page.get_by_text(words["arrived"]).is_visible()
    assert Rsvp.objects.get(event=event, member=guest).arrived_at is not None
    page.context.close()
