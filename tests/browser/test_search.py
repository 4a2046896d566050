"""A visitor searches from the home page with a keyboard and without JavaScript, then follows a topic."""

import pytest
from django.urls import reverse

from interviews.services import interview_body_refresh
from tests.factories import EventFactory, InterviewFactory, QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_from_home_without_javascript_then_open_a_topic(browser, live_server):
    interview = InterviewFactory(title="Samtal om tillit", tags=["tillit"])
    QuestionFactory(interview=interview, question="Vad driver dig?", answer="Kulturförändringen i staten.")
    interview_body_refresh(interview=interview)
    EventFactory(title="Frukost om förändring", summary="Vi pratar om förändring.").tags.add("tillit")
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(live_server.url + reverse("home"))

    page.get_by_label("Sök bland intervjuer, evenemang och medlemmar").fill("forandring")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.startswith(live_server.url + reverse("search") + "?q=forandring")
    assert page.get_by_role("heading", level=2).first.inner_text() == "2 resultat"
    results = page.locator(".search-results h3").all_inner_texts()
    assert results == ["Frukost om förändring", "Samtal om tillit"]
    assert page.locator(".search-results mark").first.inner_text() == "förändring"

    page.get_by_role("link", name="Evenemang (1)").click()
    assert page.locator(".search-results h3").all_inner_texts() == ["Frukost om förändring"]

    page.goto(live_server.url + reverse("interviews:interview-detail", kwargs={"slug": interview.slug}))
    page.get_by_role("link", name="tillit").click()
    assert page.locator("h1").inner_text() == "Ämne: tillit"
    assert "Frukost om förändring" in page.locator("main").inner_text()
    context.close()
