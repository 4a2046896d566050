"""A host opens their own event: the RSVP box says they host it and holds the tools with the counts, in
the first screen at 375 and 1280 px, in Swedish and English; a full event does not offer its host the
waitlist, and a host with places free is told they take none unless they sign up. A reviewer finds the
review queue in the header."""

from pathlib import Path

import pytest
from django.urls import reverse

from events.models import Event
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory, organisers_group
from tests.helpers.browser import new_page

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1280, 800), "mobile": (375, 667)}
SHOTS = Path("var/screenshots")
TITLE = "Klarspråksfika i Uppsala"
SUMMARY = "Vi fikar och pratar om hur myndigheter skriver begripligt, med exempel från deltagarna."

TEXT = {
    "sv": {
        "host": "Du är värd",
        "edit": "Redigera evenemanget",
        "attendees": "Deltagare: 1 kommer, 1 på väntelistan",
        "attendees_free": "Deltagare: 1 kommer",
        "message": "Skriv till deltagarna",
        "checkin": "Incheckning",
        "full": "Du tar ingen plats. Evenemanget är fullt, och väntelistan är till för deltagare.",
        "free": "Du tar ingen plats. Anmäl dig om du vill räknas som deltagare.",
        "waitlist": "Ställ mig på väntelistan",
        "attend": "Anmäl dig",
        "review": "Granska (2 väntar)",
        "menu": "Meny",
    },
    "en": {
        "host": "You are a host",
        "edit": "Edit the event",
        "attendees": "Attendees: 1 going, 1 on the waitlist",
        "attendees_free": "Attendees: 1 going",
        "message": "Write to attendees",
        "checkin": "Check-in",
        "full": "You take no place. The event is full, and its waitlist is for attendees.",
        "free": "You take no place. Sign up if you want to count as an attendee.",
        "waitlist": "Join the waitlist",
        "attend": "Attend",
        "review": "Review (2 waiting)",
        "menu": "Menu",
    },
}


def _within_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    viewport = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def _hosted(capacity: int, *, waiting: bool) -> tuple[Event, object]:
    host = MemberFactory(name="Alva Arrangör", is_public=True)
    event = EventFactory(
        title=TITLE, summary=SUMMARY, capacity=capacity, city="Uppsala", venue_name="Café Linné"
    )
    event.organisers.add(host)
    rsvp_create(event=event, member=MemberFactory())
    if waiting:
        rsvp_create(event=event, member=MemberFactory())
    return event, host


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_host_of_a_full_event_runs_it_from_the_first_screen(browser, live_server, language, size):
    event, host = _hosted(1, waiting=True)
    text = TEXT[language]
    page = new_page(browser, live_server, language=language, size=SIZES[size], member=host)
    page.goto(live_server.url + event.get_absolute_url())
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"host-box-full-{language}-{size}.png"))

    box = page.locator("#anmalan")
    assert box.get_by_text(text["host"], exact=True).is_visible()
    assert _within_first_screen(page, box), f"the host's box is not within the first screen at {size}"
    links = {
        text["edit"]: reverse("events:host-edit", args=[event.slug]),
        text["attendees"]: reverse("events:organiser-attendees", args=[event.slug]),
        text["message"]: reverse("events:host-message", args=[event.slug]),
        text["checkin"]: reverse("events:host-checkin", args=[event.slug]),
    }
    for name, href in links.items():
        link = box.get_by_role("link", name=name, exact=True)
        assert link.get_attribute("href") == href
        assert _within_first_screen(page, link), name
    assert box.get_by_text(text["full"]).is_visible()
    assert page.get_by_role("button", name=text["waitlist"]).count() == 0
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_host_with_places_free_chooses_whether_to_take_one(browser, live_server, language, size):
    event, host = _hosted(10, waiting=False)
    text = TEXT[language]
    page = new_page(browser, live_server, language=language, size=SIZES[size], member=host)
    page.goto(live_server.url + event.get_absolute_url())
    page.screenshot(path=str(SHOTS / f"host-box-free-{language}-{size}.png"))

    box = page.locator("#anmalan")
    assert box.get_by_text(text["free"]).is_visible()
    assert box.get_by_role("link", name=text["attendees_free"], exact=True).is_visible()
    attend = box.get_by_role("button", name=text["attend"], exact=True)
    assert _within_first_screen(page, box)
    assert _within_first_screen(page, attend)

    attend.click()
    page.wait_for_url(f"**{event.get_absolute_url()}**")
    assert event.rsvps.filter(member=host, status="going").exists()
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_reviewer_finds_the_review_queue_in_the_header(browser, live_server, language, size):
    reviewer = MemberFactory()
    reviewer.groups.add(organisers_group())
    for title in ("Frukost i Luleå", "Meetup i Visby"):
        EventFactory(title=title, status=Event.Status.PENDING, proposed_by=MemberFactory())
    text = TEXT[language]
    page = new_page(browser, live_server, language=language, size=SIZES[size], member=reviewer)
    page.goto(live_server.url + reverse("events:event-list"))
    if size == "mobile":
        page.get_by_text(text["menu"], exact=True).click()
    page.screenshot(path=str(SHOTS / f"review-link-{language}-{size}.png"))

    link = page.locator(".site-header").get_by_role("link", name=text["review"], exact=True)
    assert link.is_visible()
    assert _within_first_screen(page, link)
    link.click()
    page.wait_for_url(f"**{reverse('events:review-list')}")
    assert page.get_by_text("Frukost i Luleå").first.is_visible()
    page.context.close()
