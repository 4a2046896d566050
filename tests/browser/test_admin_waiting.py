"""The admin's index opens with what waits for the staff member: the proposals to review and the open
reports, with links to both, at 375 and 1280 px, in both languages."""

from pathlib import Path

import pytest
from django.urls import reverse

from events.models import Event, EventReport
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1280, 800), "mobile": (375, 667)}
TEXT = {
    "sv": {
        "block": "Väntar på dig",
        "queue": "2 föreslagna evenemang väntar på granskning",
        "reports": "1 öppen rapport om ett evenemang",
    },
    "en": {
        "block": "Waiting for you",
        "queue": "2 proposed events wait for review",
        "reports": "1 open report of an event",
    },
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_admin_index_opens_with_what_waits(context, language_page, sign_in, live_server, language, size):
    for title in ("Klarspråksfika i Uppsala", "Frukost i Luleå"):
        EventFactory(
            title=title, status=Event.Status.PENDING, proposed_by=MemberFactory(name="Alva Arrangör")
        )
    EventReport.objects.create(event=EventFactory(title="Ett anmält evenemang"), reason="Fel adress")
    sign_in(MemberFactory(is_staff=True, is_superuser=True))
    page = language_page(language)
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(live_server.url + reverse("admin:index"))
    Path("var/screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=f"var/screenshots/admin-waiting-{language}-{size}.png")

    block = page.locator("#waiting-for-you")
    assert block.get_by_role("heading", name=TEXT[language]["block"]).is_visible()
    queue = block.get_by_role("link", name=TEXT[language]["queue"])
    assert queue.get_attribute("href") == reverse("events:review-list")
    assert block.get_by_text("Klarspråksfika i Uppsala").is_visible()
    reports = block.get_by_role("link", name=TEXT[language]["reports"])
    assert reports.is_visible()
    assert block.get_by_text("Ett anmält evenemang").is_visible()
    box = block.bounding_box()
    assert box["y"] < SIZES[size][1]  # it opens the page, before the list of apps
    reports.click()
    page.wait_for_load_state()
    page.screenshot(path=f"var/screenshots/admin-reports-{language}-{size}.png")
    assert page.get_by_text("Ett anmält evenemang").first.is_visible()
    page.close()
