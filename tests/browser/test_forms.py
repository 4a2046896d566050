"""The account pages and the error summary in a real browser: keyboard focus with JavaScript, plain links
without it, and no axe violation at 1280 and 375 px in either language."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.demo import DEMO_MEMBER_EMAIL
from members.models import Member

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTHS = {1280: 800, 375: 667}


def submit_empty_signup(page, live_server):
    page.goto(live_server.url + reverse("account_signup"))
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_error_summary_takes_focus_and_its_links_lead_to_the_fields(language, language_page, live_server):
    page = language_page(language)
    submit_empty_signup(page, live_server)
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    links = summary.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets == ["#id_name", "#id_email", "#id_password1", "#id_accept_principles"]
    for target in targets:
        assert page.locator(target).count() == 1
    links.nth(2).click()
    assert page.evaluate("document.activeElement.id") == "id_password1"
    # The keyboard: the summary's first link is the first stop after it.
    submit_empty_signup(page, live_server)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_name"


def test_error_summary_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    submit_empty_signup(page, live_server)
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert "Det finns ett problem" in summary.inner_text()
    summary.locator("a").nth(1).click()
    assert page.url.endswith("#id_email")
    assert page.locator("#id_email").is_visible()
    context.close()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_changed_pages_have_no_axe_violations_at_both_widths(
    language, language_page, sign_in, axe_violations, live_server
):
    call_command("load_demo", verbosity=0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "sign-up": reverse("account_signup"),
        "sign-in": reverse("account_login"),
        "password-reset": reverse("account_reset_password"),
        "accessibility": reverse("accessibility"),
        "sign-up-errors": None,
        "profile-errors": None,
    }
    found = {}
    for width, height in WIDTHS.items():
        for name, path in pages.items():
            page = language_page(language)
            page.set_viewport_size({"width": width, "height": height})
            if name == "sign-up-errors":
                submit_empty_signup(page, live_server)
            elif name == "profile-errors":
                sign_in(Member.objects.get(email=DEMO_MEMBER_EMAIL))
                page.goto(live_server.url + reverse("members:profile-edit"))
                page.fill("#id_name", "")
                page.locator("main form[enctype] button[type=submit]").click()
                page.wait_for_load_state()
                assert page.locator("[data-error-summary]").is_visible()
            else:
                page.goto(live_server.url + path)
            page.screenshot(path=SHOTS / f"{name}-{language}-{width}.png", full_page=True)
            if violations := axe_violations(page):
                found[f"{name} {language} {width}"] = violations
            page.close()
            page.context.clear_cookies(name="sessionid")
    assert found == {}
