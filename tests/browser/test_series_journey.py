"""A host proposes a monthly breakfast on a phone, by keyboard only and with JavaScript off; a reviewer
approves the whole series once; a visitor finds its page with every date. In Swedish and English, axe
clean at 375 px."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.forms import STOCKHOLM
from events.models import Event, EventSeries
from tests.factories import MemberFactory
from tests.helpers.browser import activate, new_page

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = (375, 667)
WORDS = {
    "sv": {"send": "Skicka serien", "approve": "Godkänn", "rule": "första tisdagen varje månad"},
    "en": {"send": "Send the series", "approve": "Approve", "rule": "the first Tuesday of every month"},
}


def _first_tuesday_next_month() -> datetime:
    today = timezone.now().astimezone(STOCKHOLM).date()
    day = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 7, 45, tzinfo=STOCKHOLM)


def _axe_clean_on_a_phone(
    browser, live_server, axe_violations, *, path: str, language: str, member=None
) -> None:
    """axe and the reflow check need JavaScript in the page: the same page, opened with it, at 375 px."""
    page = new_page(browser, live_server, language=language, member=member, size=PHONE)
    page.goto(live_server.url + path)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    page.context.close()


def _type(page, selector: str, text: str) -> None:
    """Keyboard only: focus a field, clear it and type."""
    field = page.locator(selector)
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_host_proposes_a_monthly_series_on_a_phone_and_a_visitor_sees_its_dates(
    browser, live_server, axe_violations, language
):
    words = WORDS[language]
    host = MemberFactory(name="Frida Frukostvärd")
    reviewer = MemberFactory(name="Rut Granskare", is_staff=True, is_superuser=True)
    first = _first_tuesday_next_month()

    propose = reverse("events:series-propose")
    _axe_clean_on_a_phone(browser, live_server, axe_violations, path=propose, language=language, member=host)
    page = new_page(browser, live_server, language=language, javascript=False, member=host, size=PHONE)
    page.goto(live_server.url + propose)
    _type(page, "#id_title", "Frukostklubben i Luleå")
    page.locator("#id_kind").focus()
    page.keyboard.press("ArrowDown")  # meetup → breakfast meeting, as a keyboard user picks an option
    _type(page, "#id_summary", "Frukost och samtal, första tisdagen varje månad.")
    # A datetime-local field takes its value by typing in the browser's own format: filled as text.
    page.locator("#id_start").fill(first.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_end").fill((first + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    _type(page, "#id_city", "Luleå")
    _type(page, "#id_capacity", "15")
    page.locator("#id_frequency_0").focus()
    page.keyboard.press("Space")  # the same weekday of every month
    _type(page, "#id_count", "4")
    activate(page.get_by_role("button", name=words["send"], exact=True))
    page.wait_for_load_state()

    series = EventSeries.objects.get(title="Frukostklubben i Luleå")
    assert series.status == EventSeries.Status.PENDING
    assert page.url == live_server.url + series.get_absolute_url()  # its host sees it while it waits
    assert page.locator("script").count() == 0
    page.context.close()

    page = new_page(browser, live_server, language=language, javascript=False, member=reviewer, size=PHONE)
    page.goto(live_server.url + reverse("events:review-list"))
    assert page.get_by_role("button", name=words["approve"]).count() == 1  # one series, one decision
    activate(page.get_by_role("button", name=words["approve"]))
    page.wait_for_load_state()
    page.context.close()
    assert set(series.dates.values_list("status", flat=True)) == {Event.Status.PUBLISHED}

    page = new_page(browser, live_server, language=language, javascript=False, size=PHONE)
    page.goto(live_server.url + series.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Frukostklubben i Luleå"
    assert words["rule"] in page.locator("main").inner_text()
    links = [page.get_by_role("link", name="Frukostklubben i Luleå").nth(i) for i in range(4)]
    dates = list(series.dates.order_by("start"))
    assert [link.get_attribute("href") for link in links] == [date.get_absolute_url() for date in dates]
    assert [date.start.astimezone(STOCKHOLM).strftime("%H:%M") for date in dates] == ["07:45"] * 4
    # The first date links back to its series, by keyboard.
    activate(links[0])
    page.wait_for_load_state()
    assert page.url == live_server.url + dates[0].get_absolute_url()
    assert (
        page.get_by_role("link", name="Frukostklubben i Luleå").get_attribute("href")
        == series.get_absolute_url()
    )
    page.context.close()
