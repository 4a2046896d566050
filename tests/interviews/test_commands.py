import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from interviews.models import Interview
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "interviews" / "demo_data" / "adrian-solitander.txt"


def test_import_interview_seed_file_gives_a_draft_with_four_questions(capsys):
    author = MemberFactory(email="redaktor@example.org")
    call_command(
        "import_interview",
        str(SEED),
        "--title",
        "Samtal med Adrian",
        "--interviewee",
        "Adrian Solitander",
        "--author",
        "redaktor@example.org",
    )
    interview = Interview.objects.get()
    assert (interview.title, interview.interviewee_name, interview.author) == (
        "Samtal med Adrian",
        "Adrian Solitander",
        author,
    )
    assert interview.status == "draft"
    questions = list(interview.questions.all())
    assert len(questions) == 4
    assert questions[1].answer.startswith("Det är bristen på experimentkultur")
    assert interview.introduction.startswith("One Team Gov är en gräsrotsrörelse")
    assert interview.closing_text.startswith("Stort tack för dina svar!")
    assert "4 questions" in capsys.readouterr().out


def test_import_interview_guesses_the_interviewee_from_the_greeting(tmp_path):
    source = tmp_path / "intervju.txt"
    shutil.copy(SEED, source)
    call_command("import_interview", str(source))
    interview = Interview.objects.get()
    assert interview.interviewee_name == "Adrian"
    assert interview.title == "Intervju med Adrian"


def test_import_interview_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_interview", "/finns/inte.txt")
    assert not Interview.objects.exists()


def test_import_interview_text_without_questions_is_a_clear_error(tmp_path):
    source = tmp_path / "ingen-fraga.txt"
    source.write_text("Bara ett stycke.\n\nOch ett till.", encoding="utf-8")
    with pytest.raises(CommandError, match="Ingen fråga hittades"):
        call_command("import_interview", str(source))
    assert not Interview.objects.exists()


def test_import_interview_unknown_author_is_a_clear_error():
    with pytest.raises(CommandError, match="No member has"):
        call_command("import_interview", str(SEED), "--author", "ingen@example.org")
    assert not Interview.objects.exists()
