"""The unconference board by keyboard only and with JavaScript off, at 375 and 1280 px, in Swedish and
English: a member proposes a session and marks another "Jag vill vara med"; a host places it with the
schedule's form and publishes; the event page shows the schedule as a table that fits the screen."""

from datetime import timedelta

import pytest
from django.urls import reverse

from events.models import Placement, Session
from events.services import sessions as board
from tests.factories import EventFactory, MemberFactory
from tests.helpers.browser import activate, new_page

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "sv": {
        "propose": "Föreslå en session",
        "title": "Rubrik",
        "pitch": "Beskrivning",
        "workshop": "Workshop",
        "send": "Föreslå sessionen",
        "want": "Jag vill vara med",
        "one": "1 vill vara med",
        "room": "Rum",
        "time": "Tid",
        "save": "Spara placeringen",
        "publish": "Publicera schemat",
    },
    "en": {
        "propose": "Propose a session",
        "title": "Title",
        "pitch": "Pitch",
        "workshop": "Workshop",
        "send": "Propose the session",
        "want": "I want to take part",
        "one": "1 wants to take part",
        "room": "Room",
        "time": "Time",
        "save": "Save the placement",
        "publish": "Publish the schedule",
    },
}


def _type_into(page, locator, text: str) -> None:
    locator.focus()
    page.keyboard.type(text)


@pytest.mark.parametrize("size", [(375, 667), (1280, 800)], ids=["375px", "1280px"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_propose_want_place_and_read_the_schedule_by_keyboard_without_javascript(
    browser, live_server, language, size
):
    words = WORDS[language]
    event = EventFactory(title="Förvaltningsdagen", slug="forvaltningsdagen", kind="unconference")
    host = MemberFactory(name="Hanna Värd", preferred_language=language)
    event.organisers.add(host)
    room = board.room_create(event=event, name="Stora salen", seats=30)
    board.slot_create(event=event, starts=event.start, ends=event.start + timedelta(hours=1))
    other = board.session_propose(event=event, member=MemberFactory(), title="Öppna data", pitch="Om data.")
    member = MemberFactory(name="Maja Medlem", preferred_language=language)
    page = new_page(browser, live_server, language=language, size=size, javascript=False, member=member)

    # Propose: from the board's link to the form, every field by keyboard.
    page.goto(live_server.url + reverse("events:session-board", args=[event.slug]))
    activate(page.get_by_role("link", name=words["propose"]))
    page.wait_for_url("**/foresla/")
    _type_into(page, page.get_by_label(words["title"], exact=True), "Klarspråk i praktiken")
    _type_into(
        page, page.get_by_label(words["pitch"], exact=True), "Vi skriver om ett beslut **tillsammans**."
    )
    workshop = page.get_by_label(words["workshop"], exact=True)
    workshop.focus()
    workshop.press("Space")
    activate(page.get_by_role("button", name=words["send"]))
    page.wait_for_url("**/sessioner/*/")
    mine = Session.objects.get(title="Klarspråk i praktiken")
    assert (mine.proposer, mine.format) == (member, "workshop")
    assert page.get_by_role("heading", level=1).inner_text() == "Klarspråk i praktiken"
    assert page.locator("strong", has_text="tillsammans").count() == 1

    # Want: on the board, the other session's button; the count and the pressed state follow.
    page.goto(live_server.url + reverse("events:session-board", args=[event.slug]))
    item = page.locator("li.session-item", has=page.get_by_role("link", name="Öppna data"))
    activate(item.get_by_role("button", name=words["want"]))
    page.wait_for_url(f"**/sessioner/#session-{other.pk}")  # back on the board, at the session
    item = page.locator("li.session-item", has=page.get_by_role("link", name="Öppna data"))
    assert words["one"] in item.inner_text()
    assert item.locator("button[aria-pressed='true']").count() == 1
    assert other.interests.filter(member=member).exists()
    page.context.close()

    # Place and publish: the host's forms, by keyboard.
    page = new_page(browser, live_server, language=language, size=size, javascript=False, member=host)
    page.goto(live_server.url + reverse("events:host-schedule", args=[event.slug]))
    form = page.locator("li.session-item", has=page.get_by_role("heading", name="Öppna data"))
    form.get_by_label(words["room"]).select_option(label=f"{room.name} ({room.seats})")
    slot_select = form.get_by_label(words["time"])
    slot_select.focus()
    page.keyboard.press("ArrowDown")
    activate(form.get_by_role("button", name=words["save"]))
    page.wait_for_load_state()
    assert Placement.objects.get().session == other
    activate(page.get_by_role("button", name=words["publish"]))
    page.wait_for_load_state()
    page.context.close()

    # Read: the event page's schedule, times as row headers and rooms as column headers, within the screen.
    page = new_page(browser, live_server, language=language, size=size, javascript=False)
    page.goto(live_server.url + event.get_absolute_url())
    table = page.locator("table.schedule-table")
    assert table.locator("th[scope='col']").first.inner_text().startswith("Stora salen")
    assert table.locator("th[scope='row']").count() == 1
    assert "Öppna data" in table.locator("tbody td").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    page.context.close()
