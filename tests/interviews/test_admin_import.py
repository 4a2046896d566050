"""Importing a plain-text or .docx interview in the admin: review what was found, then a draft."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interviews.models import Interview
from tests.factories import MemberFactory
from tests.helpers.docx import LABELLED, docx_bytes
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:interviews_interview_import")
SEED = Path(__file__).resolve().parents[2] / "interviews" / "demo_data" / "adrian-solitander.txt"


def test_import_link_on_the_interview_list(editor_client):
    html = editor_client.get(reverse("admin:interviews_interview_changelist")).content.decode()
    assert f'<a href="{IMPORT}" class="addlink">Importera från text</a>' in html


def test_import_seed_file_review_then_draft_with_its_four_questions(editor_client, editor, visitor):
    upload = SimpleUploadedFile("adrian.txt", SEED.read_bytes(), content_type="text/plain")
    review = editor_client.post(IMPORT, {"interviewee_name": "Adrian Solitander", "file": upload})
    html = review.content.decode()
    assert review.status_code == 200
    assert "Granska vad som hittades" in html
    assert "4 frågor" in html
    assert "Varje stycke som slutar med frågetecken blev en fråga." in html
    assert "Hälsningen ”Hej Adrian!” tas inte med." in html
    assert html.count('class="import-question"') == 4
    assert not Interview.objects.exists()  # nothing is saved before the editor agrees
    # The review carries the file's text on, so the file need not be chosen again.
    text = review.context["form"].initial["text"]
    assert text == SEED.read_text(encoding="utf-8")

    response = editor_client.post(
        IMPORT, {"interviewee_name": "Adrian Solitander", "title": "", "text": text, "_create": "1"}
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("admin:interviews_interview_change", args=[interview.pk])
    assert interview.status == "draft"
    assert interview.author == editor
    assert interview.title == "Intervju med Adrian Solitander"
    assert [q.order for q in interview.questions.all()] == [1, 2, 3, 4]
    assert interview.questions.first().question.startswith("Kan du lite mer ingående beskriva")
    change = editor_client.get(response.headers["Location"]).content.decode()
    assert "Ett utkast med 4 frågor skapades." in change
    assert visitor.get(interview.get_absolute_url()).status_code == 404


def test_import_pasted_text_with_labels_shows_what_stayed_in_the_answers(editor_client):
    review = editor_client.post(IMPORT, {"interviewee_name": "Kim Exempel", "text": LABELLED})
    html = review.content.decode()
    assert "2 frågor" in html
    assert "Frågorna är markerade" in html
    assert "De här styckena slutar med frågetecken men stannade i sitt svar:" in html
    assert "<li>Det undrar jag ofta. Vet du?</li>" in html


def test_import_docx_with_bold_questions(editor_client):
    data = docx_bytes(
        [
            ("Om Kim.", False),
            ("Vad gör du?", True),
            ("Jag undrar: vad gör du?", False),
            ("Och sedan?", True),
            ("Vila.", False),
            ("Tack!", False),
        ]
    )
    upload = SimpleUploadedFile("kim.docx", data)
    review = editor_client.post(IMPORT, {"interviewee_name": "Kim", "file": upload})
    html = review.content.decode()
    assert "Frågorna är i fetstil" in html
    assert "2 frågor" in html
    editor_client.post(
        IMPORT, {"interviewee_name": "Kim", "text": review.context["form"].initial["text"], "_create": "1"}
    )
    interview = Interview.objects.get()
    assert [(q.question, q.answer) for q in interview.questions.all()] == [
        ("Vad gör du?", "Jag undrar: vad gör du?"),
        ("Och sedan?", "Vila."),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"interviewee_name": "Kim", "text": ""}, "Klistra in intervjuns text eller välj en fil."),
        ({"interviewee_name": "Kim", "text": "Inga frågor.\n\nAlls."}, "Ingen fråga hittades"),
        ({"interviewee_name": "", "text": "Fråga?\n\nSvar."}, "Detta fält måste fyllas i."),
        (
            {"interviewee_name": "Kim", "file": SimpleUploadedFile("bild.png", b"\x89PNG")},
            "Filändelsen “png” är inte giltig",
        ),
        (
            {"interviewee_name": "Kim", "file": SimpleUploadedFile("trasig.docx", b"PK\x03\x04")},
            "Filen gick inte att läsa som ett Word-dokument (.docx).",
        ),
        ({"interviewee_name": "Kim", "text": "Fråga?\n\n" + "x" * 200_001}, "som mest 200000 tecken"),
    ],
)
def test_import_bad_input_gets_a_clear_message_and_creates_nothing(editor_client, data, message):
    response = editor_client.post(IMPORT, {**data, "_create": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Interview.objects.exists()


def test_import_needs_the_add_permission(client):
    force_login_with_second_factor(client, MemberFactory(is_staff=True))
    assert client.get(IMPORT).status_code == 403
    assert (
        client.post(
            IMPORT, {"interviewee_name": "Kim", "text": "Fråga?\n\nSvar.", "_create": "1"}
        ).status_code
        == 403
    )
    assert not Interview.objects.exists()
