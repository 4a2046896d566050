"""The event page as a member sees it: one action per state, within the first screen at 1280 x 800 and
375 x 667; and the journeys "sign up from an event" and "RSVP with needs, change them, cancel after the
confirmation page, join a full event's waitlist", in Swedish and English, by keyboard only, with
JavaScript on and off."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Rsvp
from events.services.events import event_cancel
from events.services.rsvps import rsvp_create
from members.models import Member
from tests.factories import EventFactory, MemberFactory
from tests.helpers.browser import activate, new_page

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1280, 800), "mobile": (375, 667)}
TITLE = "Meetup i Göteborg: tjänstedesign på riktigt"
SUMMARY = "Korta dragningar och samtal om tjänstedesign i kommun och region, med fika efteråt."


def _full(**kwargs) -> Event:
    event = EventFactory(capacity=1, **kwargs)
    rsvp_create(event=event, member=MemberFactory())
    return event


def _in_first_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


def _arrange(state: str, member) -> Event:
    event = EventFactory(title=TITLE, summary=SUMMARY, capacity=40)
    event.organisers.add(MemberFactory(name="Alva Arrangör", is_public=True))
    if state == "member-full":
        event = _full(title=TITLE, summary=SUMMARY)
    elif state == "going":
        rsvp_create(event=event, member=member)
    elif state == "waitlisted":
        event = _full(title=TITLE, summary=SUMMARY)
        rsvp_create(event=event, member=MemberFactory())
        rsvp_create(event=event, member=member)
    elif state == "closed":
        Event.objects.filter(pk=event.pk).update(rsvp_closes_at=timezone.now() - timedelta(hours=1))
    elif state == "started":
        Event.objects.filter(pk=event.pk).update(start=timezone.now() - timedelta(minutes=10))
    elif state == "past":
        Event.objects.filter(pk=event.pk).update(
            start=timezone.now() - timedelta(days=3), end=timezone.now() - timedelta(days=3, hours=-2)
        )
    elif state == "cancelled":
        event_cancel(event=event)
    return event


# What the member sees, and the element that must be on the first screen.
STATES = {
    "visitor": ("Bli medlem eller logga in för att anmäla dig", ("link", "Bli medlem")),
    "member": ("Behov och synlighet (valfritt)", ("button", "Anmäl dig")),
    "member-full": ("Evenemanget är fullt.", ("button", "Ställ mig på väntelistan")),
    "going": ("Du kommer ✓", ("link", "Avanmäl")),
    "waitlisted": ("Du står som nr 2 på väntelistan", ("link", "Lämna väntelistan")),
    "closed": ("Anmälan har stängt.", None),
    "started": ("Pågår nu", None),
    "past": ("Evenemanget ägde rum den", None),
    "cancelled": ("Det här evenemanget är inställt.", None),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("state", STATES)
def test_event_page_action_is_on_the_first_screen(browser, live_server, state, size):
    member = MemberFactory(name="Maja Medlem")
    event = _arrange(state, member)
    page = new_page(
        browser, live_server, language="sv", size=SIZES[size], member=None if state == "visitor" else member
    )
    page.goto(live_server.url + event.get_absolute_url())
    text, action = STATES[state]
    shown = page.get_by_text(text).first
    assert shown.is_visible()
    assert _in_first_viewport(page, shown), f"{state}: '{text}' is below the first screen"
    if action is not None:
        role, name = action
        target = page.locator("#anmalan").get_by_role(role, name=name, exact=True)
        assert target.count() == 1
        assert _in_first_viewport(page, target), f"{state}: {name} is below the first screen"
    calendar = page.get_by_text("Lägg till i kalender")
    if state in ("past", "cancelled"):
        assert calendar.count() == 0
        assert page.get_by_text(re.compile("platser kvar")).count() == 0
    else:
        assert calendar.count() == 1
    # The header fits on one line at 375 px too.
    assert page.locator(".site-header").bounding_box()["height"] <= 64
    page.context.close()


LABELS = {
    "sv": {
        "more": "Behov och synlighet (valfritt)",
        "diet": "Specialkost (valfritt)",
        "attend": "Anmäl dig",
        "going": "Du kommer ✓",
        "change": "Ändra din anmälan",
        "save": "Spara ändringarna",
        "cancel": "Avanmäl",
        "confirm": "Ja, avanmäl mig",
        "to_waitlist": "Din plats går till den som står först på väntelistan",
        "cancelled": "Du är avanmäld.",
        "waitlist": "Ställ mig på väntelistan",
        "position": "Du står som nr 2 på väntelistan",
        "become": "Bli medlem",
    },
    "en": {
        "more": "Needs and visibility (optional)",
        "diet": "Dietary needs (optional)",
        "attend": "Attend",
        "going": "You're going ✓",
        "change": "Change your answer",
        "save": "Save changes",
        "cancel": "Cancel attendance",
        "confirm": "Yes, cancel my place",
        "to_waitlist": "Your place goes to the first person on the waitlist",
        "cancelled": "Your answer is cancelled.",
        "waitlist": "Join the waitlist",
        "position": "You are number 2 on the waitlist",
        "become": "Become a member",
    },
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_member_rsvps_with_needs_changes_them_cancels_then_joins_a_waitlist(
    browser, live_server, language, javascript
):
    words = LABELS[language]
    member = MemberFactory(name="Maja Medlem")
    event = EventFactory(title=TITLE, capacity=5)
    full = _full(title="Frukostmöte i Malmö: öppna data")
    rsvp_create(event=full, member=MemberFactory())
    page = new_page(browser, live_server, language=language, javascript=javascript, member=member)

    # RSVP, with needs stated behind the disclosure.
    page.goto(live_server.url + event.get_absolute_url())
    activate(page.locator("summary", has_text=words["more"]))
    page.get_by_label(words["diet"]).fill("Vegetariskt")
    activate(page.get_by_role("button", name=words["attend"], exact=True))
    page.wait_for_url(live_server.url + event.get_absolute_url())
    assert page.get_by_text(words["going"]).is_visible()
    rsvp = Rsvp.objects.get(event=event, member=member)
    assert (rsvp.status, rsvp.dietary_needs) == ("going", "Vegetariskt")

    # Change the needs without giving up the place.
    activate(page.get_by_role("link", name=words["change"]))
    assert page.get_by_label(words["diet"]).input_value() == "Vegetariskt"
    page.get_by_label(words["diet"]).fill("Vegansk")
    activate(page.get_by_role("button", name=words["save"]))
    page.wait_for_url(live_server.url + event.get_absolute_url())
    rsvp.refresh_from_db()
    assert (rsvp.status, rsvp.dietary_needs) == ("going", "Vegansk")

    # Cancel: a page of its own asks first and says who gets the place.
    activate(page.locator("#anmalan").get_by_role("link", name=words["cancel"], exact=True))
    page.wait_for_url(live_server.url + reverse("events:rsvp-cancel", args=[event.slug]))
    assert page.get_by_text(words["to_waitlist"]).is_visible()
    assert Rsvp.objects.get(pk=rsvp.pk).status == "going"
    activate(page.get_by_role("button", name=words["confirm"]))
    page.wait_for_url(live_server.url + event.get_absolute_url())
    assert page.get_by_text(words["cancelled"]).is_visible()
    assert Rsvp.objects.get(pk=rsvp.pk).status == "cancelled"

    # A full event: the waitlist, with the member's position.
    page.goto(live_server.url + full.get_absolute_url())
    activate(page.get_by_role("button", name=words["waitlist"]))
    page.wait_for_url(live_server.url + full.get_absolute_url())
    assert page.get_by_text(words["position"]).is_visible()
    assert Rsvp.objects.get(event=full, member=member).status == "waitlisted"
    if not javascript:
        # Nothing here may depend on JavaScript: no script but our own static files (the error
        # summary's focus handling) and the event's JSON-LD data block, which is never executed.
        assert page.locator("script:not([src^='/static/js/']):not([type='application/ld+json'])").count() == 0
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_visitor_signs_up_from_an_event_and_gets_back_to_it_past_the_welcome_step(
    browser, live_server, mailoutbox, language, javascript
):
    event = EventFactory(title=TITLE, capacity=5)
    page = new_page(browser, live_server, language=language, javascript=javascript)
    page.goto(live_server.url + event.get_absolute_url())
    activate(page.locator("#anmalan").get_by_role("link", name=LABELS[language]["become"], exact=True))
    page.wait_for_url(re.compile(re.escape(reverse("account_signup"))))
    form = page.locator("main form").filter(has=page.locator("input[name=email]"))
    form.locator("input[name=name]").fill("Nora Nykomling")
    form.locator("input[name=email]").fill(f"nora-{language}-{int(javascript)}@example.org")
    form.locator("input[name=password1]").fill("correct-horse-battery")
    form.locator("input[name=accept_principles]").press("Space")
    form.locator("input[name=password1]").press("Enter")
    page.wait_for_url(lambda url: reverse("account_signup") not in url)
    link = re.search(r"https?://\S+", mailoutbox[-1].body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    activate(page.locator("main form button[type=submit]").first)
    # The welcome step first (the profile, the interests, meetups near), then on to the event.
    page.wait_for_url(re.compile(re.escape(reverse("welcome"))))
    back = {"sv": "Fortsätt till sidan du kom från", "en": "Continue to the page you came from"}[language]
    activate(page.get_by_role("link", name=back))
    page.wait_for_url(live_server.url + event.get_absolute_url())
    assert Member.objects.filter(name="Nora Nykomling").exists()
    attend = LABELS[language]["attend"]
    assert page.locator("#anmalan").get_by_role("button", name=attend, exact=True).is_visible()
    page.context.close()
