"""The base layout works with a keyboard alone, without JavaScript and without CSS."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(page, live_server):
    page.goto(live_server.url + reverse("home"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    assert page.locator(".skip-link").evaluate("el => getComputedStyle(el).top") != "-160px"
    page.keyboard.press("Enter")
    # The fragment reaches page.url a moment after the key (Chromium's navigation event): wait for it.
    page.wait_for_url(lambda url: url.endswith("#main"), timeout=5000)
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside_main


def test_focus_is_visible_on_links(page, live_server):
    page.goto(live_server.url + reverse("about"))
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_language_switch_works_with_keyboard_and_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(live_server.url + reverse("about"))
    assert page.locator("h1").inner_text() == "Om One Team Gov"
    page.locator("#language-select").focus()
    page.keyboard.press("ArrowDown")  # Svenska -> English
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "About One Team Gov"
    context.close()


def test_pages_read_in_order_without_css(browser, live_server):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.route("**/*.css", lambda route: route.abort())
    page.goto(live_server.url + reverse("home"))
    text = page.locator("body").inner_text()
    parts = ("Hoppa till innehållet", "Meny", "Tillsammans förnyar vi", "Våra principer")
    order = [text.index(part) for part in parts]
    assert order == sorted(order)
    # The menu is a disclosure: without CSS (and without script) it opens in place, before the content.
    page.get_by_text("Meny").click()
    text = page.locator("body").inner_text()
    assert text.index("Meny") < text.index("Evenemang") < text.index("Tillsammans förnyar vi")
    context.close()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_filter_fields_line_up_and_the_header_button_has_room(browser, live_server, language):
    """Side by side at 1280 px, the event filter's labels stand on one line (a select was drawn shorter
    than the text field beside it), and "Become a member" keeps room inside its edge (the menu's links,
    padded only above and below, took its sides)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + reverse("events:event-list"))
    labels = page.locator(".event-filter label")
    assert labels.count() == 3
    tops = {round(labels.nth(n).bounding_box()["y"]) for n in range(3)}
    assert len(tops) == 1, tops
    controls = page.locator(".event-filter select, .event-filter input")
    heights = {round(controls.nth(n).bounding_box()["height"]) for n in range(controls.count())}
    assert len(heights) == 1, heights
    button = page.locator(".nav a.button-link")
    inner = button.evaluate(
        "el => { const text = document.createRange(); text.selectNodeContents(el);"
        " return text.getBoundingClientRect().left - el.getBoundingClientRect().left; }"
    )
    assert inner >= 8
    context.close()
