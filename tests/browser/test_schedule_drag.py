"""Drag and drop on the hosts' schedule (static/js/schedule-drag.js): a session's card dropped on a room
and time of the table is placed there by the card's own form, the same POST as its button; with
JavaScript off the page is as before and the form places the session."""

from datetime import timedelta

import pytest
from django.urls import reverse

from events.models import Placement
from events.services import sessions as board
from events.services.events import event_save
from tests.factories import EventFactory, MemberFactory
from tests.helpers.browser import activate, new_page

pytestmark = pytest.mark.django_db(transaction=True)

TALL = (1280, 1600)  # the table and the cards on one screen


@pytest.fixture
def schedule():
    event = EventFactory(title="Förvaltningsdagen", slug="forvaltningsdagen", kind="unconference")
    host = MemberFactory(name="Hanna Värd", preferred_language="en")
    event.organisers.add(host)
    rooms = [
        board.room_create(event=event, name=n, seats=s) for n, s in (("Stora salen", 30), ("Lilla rummet", 8))
    ]
    slots = [
        board.slot_create(event=event, starts=event.start, ends=event.start + timedelta(hours=1)),
        board.slot_create(
            event=event, starts=event.start + timedelta(hours=1), ends=event.start + timedelta(hours=2)
        ),
    ]
    session = board.session_propose(event=event, member=MemberFactory(), title="Öppna data", pitch="Om data.")
    board.session_propose(event=event, member=MemberFactory(), title="Klarspråk", pitch="Om språk.")
    return {"event": event, "host": host, "rooms": rooms, "slots": slots, "session": session}


def _card(page, session):
    return page.locator(f"li.session-item[data-drag-session='{session.pk}']")


def _cell(page, room, slot):
    return page.locator(f"td[data-drop-room='{room.pk}'][data-drop-slot='{slot.pk}']")


def _drag(page, session, room, slot) -> None:
    # Taken by its heading's corner: a press on a select opens the select rather than starting a drag.
    # The table and the card both in view, as a host sees them when starting a drag (a synthetic drag
    # does not scroll the page while the button is down, as a person's hand would).
    page.evaluate("() => { window.beforeTheDrop = true; window.scrollTo(0, 0); }")
    _card(page, session).drag_to(_cell(page, room, slot), source_position={"x": 8, "y": 8})
    # The drop submits the form: wait for the page that answers (a new document), then for its load.
    page.wait_for_function("() => !window.beforeTheDrop")
    page.wait_for_load_state()


def test_host_drags_a_session_into_a_cell_and_it_is_placed(browser, live_server, schedule, axe_violations):
    event, session = schedule["event"], schedule["session"]
    (big, small), (early, late) = schedule["rooms"], schedule["slots"]
    page = new_page(browser, live_server, language="en", size=TALL, member=schedule["host"])
    page.goto(live_server.url + reverse("events:host-schedule", args=[event.slug]))
    assert _card(page, session).get_attribute("draggable") == "true"
    assert page.locator("[data-drag-hint]").is_visible()
    assert axe_violations(page) == []

    _drag(page, session, small, late)

    placement = Placement.objects.get()
    assert (placement.session, placement.room, placement.slot) == (session, small, late)
    assert "“Öppna data” is placed." in page.locator("main").inner_text()
    assert "Öppna data" in _cell(page, small, late).inner_text()
    assert "Free" in _cell(page, big, early).inner_text()
    card = _card(page, session)
    assert card.get_by_label("Room").input_value() == str(small.pk)
    assert card.get_by_label("Time").input_value() == str(late.pk)

    # Dragged again, it moves; the cell it left is free.
    _drag(page, session, big, early)
    placement.refresh_from_db()
    assert (placement.room, placement.slot) == (big, early)
    assert "Öppna data" in _cell(page, big, early).inner_text()
    assert "Free" in _cell(page, small, late).inner_text()
    page.context.close()


def test_dropped_on_a_taken_cell_the_server_says_so_and_nothing_moves(browser, live_server, schedule):
    event, session = schedule["event"], schedule["session"]
    (big, _small), (early, _late) = schedule["rooms"], schedule["slots"]
    other = event.sessions.get(title="Klarspråk")
    board.session_place(session=other, room=big, slot=early)
    page = new_page(browser, live_server, language="en", size=TALL, member=schedule["host"])
    page.goto(live_server.url + reverse("events:host-schedule", args=[event.slug]))

    _drag(page, session, big, early)

    assert "was just taken by “Klarspråk”" in page.locator("main").inner_text()
    assert list(Placement.objects.values_list("session__title", flat=True)) == ["Klarspråk"]
    page.context.close()


def test_without_javascript_the_page_places_through_the_form(browser, live_server, schedule):
    event, session = schedule["event"], schedule["session"]
    (_big, small), (_early, late) = schedule["rooms"], schedule["slots"]
    page = new_page(browser, live_server, language="en", javascript=False, member=schedule["host"])
    page.goto(live_server.url + reverse("events:host-schedule", args=[event.slug]))
    card = _card(page, session)
    assert card.get_attribute("draggable") is None
    assert not page.locator("[data-drag-hint]").is_visible()

    card.get_by_label("Room").select_option(str(small.pk))
    card.get_by_label("Time").select_option(str(late.pk))
    activate(card.get_by_role("button", name="Save the placement"))
    page.wait_for_load_state()

    placement = Placement.objects.get()
    assert (placement.session, placement.room, placement.slot) == (session, small, late)
    assert "Öppna data" in _cell(page, small, late).inner_text()
    page.context.close()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_keyboard_passes_through_the_cards_and_the_page_is_axe_clean_at_both_widths(
    browser, live_server, schedule, axe_violations, language
):
    """The script makes the cards draggable for a mouse only: Tab goes from a card's room to its time
    to its button and on to the next card (no trap, no focus stop on the card itself), the cards keep
    their list-item role, and with a slot the shortened event no longer covers the page says so and
    stays axe-clean, in both languages, on a phone and a desktop."""
    event, session = schedule["event"], schedule["session"]
    event.end = event.start + timedelta(hours=1)  # the second slot is outside it now
    event_save(event=event, changed_fields=["end"])
    outside = {"sv": "Utanför evenemangets tider nu", "en": "Outside the event's times now"}[language]
    for size in ((1280, 800), (375, 667)):
        page = new_page(browser, live_server, language=language, size=size, member=schedule["host"])
        page.goto(live_server.url + reverse("events:host-schedule", args=[event.slug]))
        assert page.locator("[data-drag-hint]").is_visible()
        assert page.get_by_text(outside).is_visible()
        assert axe_violations(page) == [], size
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        card = _card(page, session)
        assert card.evaluate("el => [el.tabIndex, el.getAttribute('role')]") == [-1, None]
        card.locator("select[name='room']").focus()
        seen = []
        for _ in range(4):
            page.keyboard.press("Tab")
            seen.append(page.evaluate("document.activeElement.name || document.activeElement.tagName"))
        assert seen[:2] == ["slot", "BUTTON"] and seen[2] == "room", seen
        assert not Placement.objects.exists()  # tabbing placed nothing
        page.context.close()
