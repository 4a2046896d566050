"""The welcome step as a new member meets it, keyboard only and without JavaScript, at 375 and 1280 px in
both languages: each offer is one button, nothing is done unasked, and the way on is at the end."""

import pytest
from django.urls import reverse

from events.models import Follow
from tests.factories import EventFactory, MemberFactory
from tests.helpers.browser import activate, new_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

WORDS = {
    "sv": {"public": "Gör min profil offentlig", "follow": "Följ de här ämnena", "show": "Visa evenemang"},
    "en": {"public": "Make my profile public", "follow": "Follow these topics", "show": "Show events"},
}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("size", [(1280, 800), (375, 800)])
def test_welcome_offers_work_by_keyboard_without_javascript(browser, live_server, language, size):
    EventFactory(title="Frukost i Malmö", city="Malmö").tags.add("klarspråk")
    member = MemberFactory(is_public=False)
    member.interests.add("klarspråk")
    words = WORDS[language]
    page = new_page(browser, live_server, language=language, size=size, javascript=False, member=member)
    page.goto(live_server.url + reverse("welcome") + "?next=/evenemang/")
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    with page.expect_navigation():
        activate(page.get_by_role("button", name=words["public"]))
    member.refresh_from_db()
    assert member.is_public
    with page.expect_navigation():
        activate(page.get_by_role("button", name=words["follow"]))
    assert list(Follow.objects.filter(member=member).values_list("tag__name", flat=True)) == ["klarspråk"]
    page.locator("#welcome-stad").select_option("Malmö")
    with page.expect_navigation():
        activate(page.get_by_role("button", name=words["show"]))
    assert "Frukost i Malmö" in page.locator("main").inner_text()
    # The way on still leads where the member was going, after every offer taken.
    assert page.locator(".welcome-next a").get_attribute("href") == "/evenemang/"
    page.context.close()
