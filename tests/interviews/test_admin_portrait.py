"""A portrait replaced in the admin whose save fails: the old portrait still shows, nothing new is left."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from interviews.models import Interview
from interviews.services import interview_portrait_set
from tests.factories import EditorFactory, InterviewFactory
from tests.helpers.database import refused_updates
from tests.helpers.forms import interview_form_data
from tests.helpers.photos import png_upload
from tests.helpers.staff import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_admin_replaced_portrait_whose_save_fails_stores_nothing(client, django_capture_on_commit_callbacks):
    sign_in_with_second_factor(client, EditorFactory())
    interview = InterviewFactory(title="Ett samtal", slug="ett-samtal")
    with django_capture_on_commit_callbacks(execute=True):
        interview_portrait_set(interview=interview, upload=png_upload(), alt="Kim i en park")
    interview.refresh_from_db()
    old = media_files()
    url = reverse("admin:interviews_interview_change", args=[interview.pk])

    with (
        django_capture_on_commit_callbacks(execute=True),
        refused_updates("interviews_interview", "portrait"),
    ):
        response = client.post(
            url,
            interview_form_data(
                title="Ett nytt namn",
                slug="ett-samtal",
                portrait=png_upload(name="ny.png"),
                portrait_alt="Kim på en bänk",
            ),
            follow=True,
        )

    html = response.content.decode()
    assert response.redirect_chain == [(url, 302)]
    assert "Inget sparades: databasen vägrade ta emot ändringen. Försök igen." in html
    assert "ändrades" not in html
    stored = Interview.objects.get(pk=interview.pk)
    assert (stored.title, stored.portrait_alt) == ("Ett samtal", "Kim i en park")
    assert stored.portrait.name == interview.portrait.name
    assert media_files() == old  # no new file, no old file gone
    assert f'<img src="{stored.portrait_thumb.url}"' in html  # the change page previews the old one
    response = client.get(stored.portrait_square.url)  # the old portrait still shows
    assert response.status_code == 200


def test_admin_portrait_removed_goes_with_its_files(client, django_capture_on_commit_callbacks):
    sign_in_with_second_factor(client, EditorFactory())
    interview = InterviewFactory(title="Ett samtal", slug="ett-samtal")
    with django_capture_on_commit_callbacks(execute=True):
        interview_portrait_set(interview=interview, upload=png_upload(), alt="Kim i en park")
    assert len(media_files()) == 3
    url = reverse("admin:interviews_interview_change", args=[interview.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            interview_form_data(
                title="Ett samtal", slug="ett-samtal", portrait_alt="", **{"portrait-clear": "on"}
            ),
        )
    assert response.status_code == 302
    stored = Interview.objects.get(pk=interview.pk)
    assert (stored.portrait.name, stored.portrait_thumb.name, stored.portrait_alt) == ("", "", "")
    assert media_files() == set()
