"""A member proposing an event previews the description while still at it: the preview shows, what was
typed stays, and no field below is judged; with JavaScript off too, at 375 and 1280 px, in both
languages."""

from pathlib import Path

import pytest
from django.urls import reverse

from events.models import Event
from tests.factories import MemberFactory
from tests.helpers.browser import new_page

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1280, 800), "mobile": (375, 667)}
TEXT = {
    "sv": {
        "title": "Titel",
        "description": "Beskrivning",
        "preview": "Förhandsvisa beskrivningen",
        "heading": "Förhandsvisning av beskrivningen",
        "problem": "Det finns ett problem",
    },
    "en": {
        "title": "Title",
        "description": "Description",
        "preview": "Preview the description",
        "heading": "Preview of the description",
        "problem": "There is a problem",
    },
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_preview_shows_the_description_and_judges_nothing_else(
    browser, live_server, language, size, javascript
):
    text = TEXT[language]
    page = new_page(
        browser,
        live_server,
        language=language,
        size=SIZES[size],
        javascript=javascript,
        member=MemberFactory(),
    )
    page.goto(live_server.url + reverse("events:event-propose"))
    page.locator("#id_title").fill("Klarspråksfika i Uppsala")
    page.locator("#id_description").fill("Vi fikar.\n\n- **kaffe**\n- kanelbullar")

    page.get_by_role("button", name=text["preview"]).click()
    page.wait_for_load_state("load")
    Path("var/screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=f"var/screenshots/propose-preview-{language}-{size}-{'js' if javascript else 'nojs'}.png"
    )

    preview = page.get_by_role("region", name=text["heading"])
    assert preview.locator("strong").inner_text() == "kaffe"
    assert preview.locator("li").count() == 2
    assert page.get_by_text(text["problem"]).count() == 0
    assert page.locator(".errorlist").count() == 0
    assert page.locator("#id_title").input_value() == "Klarspråksfika i Uppsala"
    assert "kanelbullar" in page.locator("#id_description").input_value()
    assert not Event.objects.exists()
    page.context.close()
