"""Signing in as GOV.UK's pattern has it, in a browser at 375 and 1280 px in both languages, keyboard only:
the address has focus when the page opens, Tab goes to the password and then the button (the reset link
after them, never between the address and the password), and the header's link brings the member back
to the page they left."""

import pytest
from django.urls import reverse

from tests.factories import EventFactory, MemberFactory
from tests.helpers.browser import new_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PASSWORD = "ett-långt-lösenord-för-test"
SIZES = [(1280, 800), (375, 800)]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("size", SIZES)
def test_sign_in_from_an_event_by_keyboard_returns_to_the_event(browser, live_server, language, size):
    member = MemberFactory(password=PASSWORD)
    event = EventFactory(title="Frukost om klarspråk")
    page = new_page(browser, live_server, language=language, size=size, javascript=False)
    page.goto(live_server.url + event.get_absolute_url())
    if size[0] < 768:
        page.locator(".menu summary").click()
    with page.expect_navigation():
        page.locator(f'.nav a[href^="{reverse("account_login")}"]').click()
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.name") == "login"
    page.keyboard.type(member.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.type") == "checkbox":  # "Remember me", part of the form
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == reverse("account_reset_password")
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + event.get_absolute_url()
    assert page.locator("h1").inner_text() == "Frukost om klarspråk"
    page.context.close()
