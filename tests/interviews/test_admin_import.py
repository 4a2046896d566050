"""Importing a plain-text or .docx interview in the admin: review what was found, then a draft."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interviews.models import ImportUpload, Interview
from tests.factories import EditorFactory, MemberFactory
from tests.helpers.docx import (
    LABELLED,
    docx_bytes,
    table_and_image,
    title_style_bold_questions,
    tracked_changes,
)
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
        ({"interviewee_name": "", "text": "Fråga?\n\nSvar."}, "Skriv namnet: rubriken ger det inte"),
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


def _carried_on(review) -> dict:
    """What the review page's form sends on: the fields as the review filled them."""
    return {key: value for key, value in review.context["form"].initial.items() if value is not None}


def test_import_word_title_is_the_headline_and_gives_the_name(editor_client, editor):
    upload = SimpleUploadedFile("kim.docx", title_style_bold_questions())
    review = editor_client.post(IMPORT, {"file": upload})
    html = review.content.decode()
    assert "2 frågor" in html
    assert "Rubrik: ”Intervju med Kim Exempel, Skatteverket”." in html
    assert "Den intervjuade: Kim Exempel." in html
    assert "Kim Exempel har arbetat med klarspråk i tio år." in html
    assert "(ingen)" not in html.split("Avslutande text")[0]  # the introduction is found
    response = editor_client.post(IMPORT, {**_carried_on(review), "_create": "1"})
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.title == "Intervju med Kim Exempel, Skatteverket"
    assert interview.interviewee_name == "Kim Exempel"
    assert interview.introduction.startswith("Kim Exempel har arbetat")
    assert interview.questions.first().question == "Vad gör du om dagarna?"
    assert not ImportUpload.objects.exists()  # the kept file goes with the draft made from it


def test_import_review_names_what_the_document_held_and_the_text_does_not(editor_client):
    review = editor_client.post(IMPORT, {"file": SimpleUploadedFile("per.docx", table_and_image())})
    html = review.content.decode()
    assert "3 bilder togs inte med." in html
    assert "1 tabell togs inte med." in html
    review = editor_client.post(IMPORT, {"file": SimpleUploadedFile("ali.docx", tracked_changes())})
    assert "2 spårade ändringar lästes som godkända." in review.content.decode()


def test_import_form_error_keeps_the_chosen_file(editor_client):
    upload = SimpleUploadedFile("kim.docx", title_style_bold_questions())
    first = editor_client.post(IMPORT, {"file": upload, "title": "x" * 201})
    html = first.content.decode()
    assert "Säkerställ att detta värde har som mest 200 tecken" in html
    assert "Vald fil: <strong>kim.docx</strong>. Den är sparad: du behöver inte välja den igen." in html
    kept = ImportUpload.objects.get()
    assert f'name="upload" value="{kept.pk}"' in html
    # Sent again without choosing the file: the kept one is read.
    review = editor_client.post(IMPORT, {"upload": kept.pk, "title": ""})
    assert "2 frågor" in review.content.decode()
    assert review.context["form"].initial["interviewee_name"] == "Kim Exempel"


def test_import_kept_file_is_only_its_owners(editor_client, client):
    editor_client.post(IMPORT, {"file": SimpleUploadedFile("kim.docx", title_style_bold_questions())})
    kept = ImportUpload.objects.get()
    other = EditorFactory()
    force_login_with_second_factor(client, other)
    response = client.post(IMPORT, {"upload": kept.pk})
    assert "Klistra in intervjuns text eller välj en fil." in response.content.decode()
