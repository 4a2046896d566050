from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from interviews.models import Interview
from interviews.parsing import InterviewParseError
from interviews.services import (
    interview_import_text,
    interview_portrait_clear,
    interview_portrait_set,
    interview_publish,
    interview_unpublish,
)
from tests.factories import InterviewFactory
from tests.helpers.photos import png_upload

pytestmark = pytest.mark.django_db


def test_interview_publish_now_makes_it_public():
    interview = InterviewFactory(status="draft", published_at=None)
    interview_publish(interview=interview)
    assert Interview.objects.published().filter(pk=interview.pk).exists()


def test_interview_publish_in_the_future_schedules_it():
    interview = InterviewFactory(status="draft", published_at=None)
    at = timezone.now() + timedelta(days=1)
    interview_publish(interview=interview, at=at)
    interview.refresh_from_db()
    assert (interview.status, interview.published_at) == ("published", at)
    assert not Interview.objects.published().filter(pk=interview.pk).exists()


def test_interview_unpublish_hides_it():
    interview = InterviewFactory()
    interview_unpublish(interview=interview)
    interview.refresh_from_db()
    assert (interview.status, interview.published_at) == ("draft", None)
    assert not Interview.objects.published().exists()


def test_interview_portrait_set_stores_clean_squares_once():
    interview = InterviewFactory()
    interview_portrait_set(interview=interview, upload=png_upload((900, 700)), alt="Ett porträtt")
    interview.refresh_from_db()
    with Image.open(interview.portrait.path) as full, Image.open(interview.portrait_square.path) as square:
        assert full.size == (900, 700)
        assert square.size == (600, 600)
    with Image.open(interview.portrait_thumb.path) as thumb:
        assert thumb.size == (160, 160)
    assert interview.portrait_alt == "Ett porträtt"


def test_interview_portrait_set_again_removes_the_old_files_after_commit(django_capture_on_commit_callbacks):
    interview = InterviewFactory()
    interview_portrait_set(interview=interview, upload=png_upload(), alt="Första")
    old = [Path(f.path) for f in (interview.portrait, interview.portrait_square, interview.portrait_thumb)]
    with django_capture_on_commit_callbacks(execute=True):
        interview_portrait_set(interview=interview, upload=png_upload(), alt="Andra")
        assert all(path.exists() for path in old)  # until the commit
    assert not any(path.exists() for path in old)
    assert Path(interview.portrait_square.path).exists()


def test_interview_portrait_set_without_alt_is_refused():
    interview = InterviewFactory()
    with pytest.raises(ValueError):
        interview_portrait_set(interview=interview, upload=png_upload(), alt="  ")
    interview.refresh_from_db()
    assert not interview.portrait


def test_interview_portrait_clear_removes_files_after_commit(django_capture_on_commit_callbacks):
    interview = InterviewFactory()
    interview_portrait_set(interview=interview, upload=png_upload(), alt="Porträtt")
    path = Path(interview.portrait.path)
    with django_capture_on_commit_callbacks(execute=True):
        interview_portrait_clear(interview=interview)
    interview.refresh_from_db()
    assert not path.exists()
    assert (interview.portrait.name, interview.portrait_square.name, interview.portrait_alt) == ("", "", "")


def test_interview_import_text_creates_a_draft_with_ordered_pairs():
    text = "\n\n".join(
        ["Intro ett.", "Intro två.", "Hej Kim!", "Vad gör du?", "Jag bygger.", "Varför?", "För att.", "Tack!"]
    )
    interview = interview_import_text(text=text, interviewee_name="Kim Exempel")
    assert interview.status == "draft"
    assert interview.title == "Intervju med Kim Exempel"
    assert interview.slug == "intervju-med-kim-exempel"
    assert interview.introduction == "Intro ett.\n\nIntro två."
    assert interview.closing_text == "Tack!"
    assert [(q.order, q.question, q.answer) for q in interview.questions.all()] == [
        (1, "Vad gör du?", "Jag bygger."),
        (2, "Varför?", "För att."),
    ]
    assert not Interview.objects.published().exists()


def test_interview_import_text_twice_gets_unique_slugs():
    text = "Intro.\n\nFråga?\n\nSvar."
    first = interview_import_text(text=text, interviewee_name="Kim", title="Samma rubrik")
    second = interview_import_text(text=text, interviewee_name="Kim", title="Samma rubrik")
    assert (first.slug, second.slug) == ("samma-rubrik", "samma-rubrik-2")


def test_interview_import_text_without_questions_creates_nothing():
    with pytest.raises(InterviewParseError):
        interview_import_text(text="Bara text.", interviewee_name="Kim")
    assert not Interview.objects.exists()
