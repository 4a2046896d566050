"""Every page, in Swedish and in English, with zero axe WCAG 2.1 A/AA violations.

The pages are listed in tests/helpers/pages.py (PAGES): a new page joins with one line there.
"""

from urllib.parse import unquote

import pytest
from django.core.management import call_command

from tests.helpers.pages import HOST_PAGES, PAGES, SESSION_PAGES, USERS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_has_no_axe_violations(language, language_page, sign_in, axe_violations, live_server):
    call_command("load_demo", verbosity=0)
    found = {}
    for spec in PAGES:
        if spec.as_user:
            sign_in(USERS[spec.as_user]())
        page = language_page(language)
        path = spec.path() if callable(spec.path) else spec.path
        page.goto(live_server.url + path)
        assert unquote(page.url) == unquote(live_server.url + path), f"{spec.name} redirected to {page.url}"
        assert page.locator("html").get_attribute("lang") == language, spec.name
        violations = axe_violations(page)
        # WCAG 1.4.10 reflow: at 320 CSS pixels nothing may need horizontal scrolling.
        page.set_viewport_size({"width": 320, "height": 800})
        if page.evaluate("document.documentElement.scrollWidth") > 320:
            violations.append("reflow: the page scrolls sideways at 320 px")
        if violations:
            found[f"{spec.name} ({path})"] = violations
        page.close()
        page.context.clear_cookies(name="sessionid")
    assert found == {}


FOLLOW_PAGES = ["follow settings", "follow settings, empty", "profile edit", "profile edit, with follows"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_follow_settings_and_profile_have_no_axe_violations_on_desktop_and_phone(
    language, language_page, sign_in, axe_violations, live_server
):
    """The pages where members follow topics and cities, at 1280 and 375 CSS pixels wide (and 320: reflow)."""
    call_command("load_demo", verbosity=0)
    found = {}
    for spec in [spec for spec in PAGES if spec.name in FOLLOW_PAGES]:
        for width, height in [(1280, 800), (375, 667), (320, 640)]:
            sign_in(USERS[spec.as_user]())
            page = language_page(language)
            page.set_viewport_size({"width": width, "height": height})
            path = spec.path() if callable(spec.path) else spec.path
            page.goto(live_server.url + path)
            assert unquote(page.url) == unquote(live_server.url + path), f"{spec.name} redirected"
            violations = axe_violations(page)
            if page.evaluate("document.documentElement.scrollWidth") > width:
                violations.append(f"reflow: the page scrolls sideways at {width} px")
            if violations:
                found[f"{spec.name} at {width} px"] = violations
            page.close()
    assert len([spec for spec in PAGES if spec.name in FOLLOW_PAGES]) == len(FOLLOW_PAGES)
    assert found == {}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_host_pages_have_no_axe_violations_on_a_phone(
    language, language_page, sign_in, axe_violations, live_server
):
    """The host's pages at 375 px (the door's check-in is used on a phone); 1280 px is in the test above."""
    call_command("load_demo", verbosity=0)
    found = {}
    for spec in HOST_PAGES:
        sign_in(USERS[spec.as_user]())
        page = language_page(language)
        page.set_viewport_size({"width": 375, "height": 667})
        path = spec.path() if callable(spec.path) else spec.path
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == language, spec.name
        if violations := axe_violations(page):
            found[f"{spec.name} ({path})"] = violations
        page.close()
        page.context.clear_cookies(name="sessionid")
    assert found == {}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_unconference_pages_have_no_axe_violations_on_desktop_and_phone(
    language, language_page, sign_in, axe_violations, live_server
):
    """The board, a session, Mitt schema, Nu och härnäst and the schedule table at 1280 and 375 px: the
    table stacks on a phone and nothing scrolls sideways."""
    call_command("load_demo", verbosity=0)
    found = {}
    for spec in SESSION_PAGES + [
        spec for spec in HOST_PAGES if "session" in spec.name or "schedule" in spec.name
    ]:
        for width, height in [(1280, 800), (375, 667)]:
            if spec.as_user:
                sign_in(USERS[spec.as_user]())
            page = language_page(language)
            page.set_viewport_size({"width": width, "height": height})
            path = spec.path() if callable(spec.path) else spec.path
            page.goto(live_server.url + path)
            assert unquote(page.url) == unquote(live_server.url + path), f"{spec.name} redirected"
            assert page.locator("html").get_attribute("lang") == language, spec.name
            violations = axe_violations(page)
            if page.evaluate("document.documentElement.scrollWidth") > width:
                violations.append(f"reflow: the page scrolls sideways at {width} px")
            if violations:
                found[f"{spec.name} at {width} px"] = violations
            page.close()
            page.context.clear_cookies(name="sessionid")
    assert found == {}


def test_axe_harness_reports_a_field_without_a_label(page, axe_violations):
    """The control: the same check finds a real WCAG failure, so a clean result above means something."""
    page.set_content('<html lang="sv"><head><title>t</title></head><body><main><input></main></body></html>')
    assert any(line.startswith("label") for line in axe_violations(page))
