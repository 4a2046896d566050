"""Writing an interview in the admin, in a real Chromium: the LIX scores follow the text as it is typed."""

import pytest
from django.urls import reverse

from tests.factories import EditorFactory, InterviewFactory, QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_lix_of_each_answer_and_of_the_whole_follows_the_typing(
    language_page, sign_in, live_server, axe_violations
):
    interview = InterviewFactory(status="draft", published_at=None, introduction="", closing_text="")
    QuestionFactory(interview=interview, order=1, question="Hur?", answer="Vi ses på mötet. Ta med en kopp.")
    QuestionFactory(interview=interview, order=2, question="Och?", answer="Ja.")
    sign_in(EditorFactory())
    page = language_page("sv")
    page.goto(live_server.url + reverse("admin:interviews_interview_change", args=[interview.pk]))
    first = page.locator("[data-lix='answer']").nth(0)
    second = page.locator("[data-lix='answer']").nth(1)
    whole = page.locator("[data-lix='whole']")
    assert first.inner_text().startswith("LIX 4 – mycket lättläst")  # noqa: RUF001
    page.locator("#id_questions-0-answer").fill("Myndigheten skickar beslutet i dag.")
    # 5 words, 1 sentence, 3 long words: 5 + 60 = 65, at once, without saving.
    assert first.inner_text().startswith("LIX 65 – mycket svår")  # noqa: RUF001
    assert "5 ord, 1 meningar, 3 långa ord" in first.inner_text()
    assert second.inner_text().startswith("LIX 1 – mycket lättläst")  # noqa: RUF001
    # The whole: Hur? + the new answer + Och? + Ja. = 8 words, 4 sentences, 3 long.
    assert "8 ord, 4 meningar, 3 långa ord" in whole.inner_text()
    page.locator("#id_questions-1-answer").fill("")
    assert second.inner_text() == "Ingen text än."
    assert axe_violations(page) == []
