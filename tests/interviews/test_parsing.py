from pathlib import Path

import pytest

from interviews.parsing import InterviewParseError, paragraphs, parse_interview

SEED = Path(__file__).resolve().parents[2] / "interviews" / "demo_data" / "adrian-solitander.txt"


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


def test_parse_interview_seed_has_four_questions_in_order(seed_text):
    parsed = parse_interview(seed_text)
    assert [pair.question[:30] for pair in parsed.pairs] == [
        "Kan du lite mer ingående beskr",
        "Du som själv jobbar inom en my",
        "Är det viktigt att One Team Go",
        "Avslutningsvis en svår men spä",
    ]
    assert all(pair.question.endswith("?") for pair in parsed.pairs)


def test_parse_interview_seed_attaches_each_answer_to_its_own_question(seed_text):
    answers = [pair.answer for pair in parse_interview(seed_text).pairs]
    assert answers[0].startswith("För att det är allmänt accepterat")
    assert answers[1].startswith("Det är bristen på experimentkultur")
    assert answers[2].startswith("Det är mycket viktigt ja.")
    assert answers[3].startswith("Då väljer jag att blicka 20 år tillbaka")
    assert answers[3].endswith("skulle jag gissa.")


def test_parse_interview_seed_intro_and_closing(seed_text):
    parsed = parse_interview(seed_text)
    assert parsed.introduction.startswith("One Team Gov är en gräsrotsrörelse")
    assert "Adrian Solitander är en av initiativtagarna" in parsed.introduction
    assert parsed.introduction.count("\n\n") == 1  # two paragraphs
    assert parsed.closing.startswith("Stort tack för dina svar!")
    assert "Digitala Strategidagarna" in parsed.closing


def test_parse_interview_seed_drops_only_the_greeting(seed_text):
    parsed = parse_interview(seed_text)
    assert parsed.greeting == "Hej Adrian!"
    everything = [parsed.introduction, parsed.closing]
    for pair in parsed.pairs:
        everything += [pair.question, pair.answer]
    assert "Hej Adrian!" not in "\n".join(everything)


def test_parse_interview_seed_loses_nothing(seed_text):
    parsed = parse_interview(seed_text)
    parts = [parsed.introduction, parsed.closing]
    for pair in parsed.pairs:
        parts += [pair.question, pair.answer]
    result = "\n\n".join(parts)
    source = [p for p in paragraphs(seed_text) if p != "Hej Adrian!"]
    assert len(source) == 11
    for paragraph in source:
        assert result.count(paragraph) == 1, paragraph[:40]
    # And nothing was made up: the words out are exactly the words in, less the greeting.
    assert sorted(result.split()) == sorted(" ".join(source).split())


def test_parse_interview_answer_of_several_paragraphs_stays_together():
    text = "Intro.\n\nHej Kim!\n\nFörsta frågan?\n\nSvar ett.\n\nSvar två.\n\nAndra frågan?\n\nSvar.\n\nTack!"
    parsed = parse_interview(text)
    assert parsed.introduction == "Intro."
    assert [(p.question, p.answer) for p in parsed.pairs] == [
        ("Första frågan?", "Svar ett.\n\nSvar två."),
        ("Andra frågan?", "Svar."),
    ]
    assert parsed.closing == "Tack!"


def test_parse_interview_last_answer_is_not_taken_as_closing():
    parsed = parse_interview("Intro.\n\nFråga?\n\nBara ett svar.")
    assert parsed.pairs[0].answer == "Bara ett svar."
    assert parsed.closing == ""


def test_parse_interview_without_questions_is_refused():
    with pytest.raises(InterviewParseError):
        parse_interview("Bara text.\n\nInga frågor här.")
