"""`manage.py media_check`: files and rows agree after every kind of upload, and it says so when not."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from events.services.events import event_cover_set
from interviews import services as interview_services
from members import services as member_services
from tests.factories import EventFactory, InterviewFactory, MemberFactory
from tests.helpers.database import refused_updates
from tests.helpers.photos import photo_upload, photo_with_gps

pytestmark = pytest.mark.django_db


def run_check() -> str:
    from io import StringIO

    out = StringIO()
    call_command("media_check", stdout=out)
    return out.getvalue()


def test_media_check_reports_nothing_after_uploads_replacements_deletions_and_failed_saves(
    django_capture_on_commit_callbacks,
):
    member, other = MemberFactory(), MemberFactory()
    interview, event = InterviewFactory(), EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        member_services.member_portrait_set(member=member, upload=photo_upload())
        member_services.member_portrait_set(
            member=member, upload=photo_upload(photo_with_gps("PNG"), "b.png")
        )
        member_services.member_portrait_set(member=other, upload=photo_upload())
        member_services.member_portrait_clear(member=other)
        interview_services.interview_portrait_set(interview=interview, upload=photo_upload(), alt="Första")
        interview_services.interview_portrait_set(interview=interview, upload=photo_upload(), alt="Andra")
        event_cover_set(event=event, upload=photo_upload(), alt="Omslag")
        event_cover_set(event=event, upload=photo_upload(), alt="Nytt omslag")
        with refused_updates("events_event", "cover_image"), pytest.raises(DatabaseError):
            event_cover_set(event=event, upload=photo_upload(), alt="Misslyckas")
        with refused_updates("members_member", "portrait"), pytest.raises(DatabaseError):
            member_services.member_portrait_set(member=member, upload=photo_upload())
        member_services.member_profile_update(member=member, name=member.name, is_public=True)
        member_services.member_profile_update(member=member, name=member.name, is_public=False)
        member_services.member_delete(member=other)
        gone = MemberFactory()
        member_services.member_portrait_set(member=gone, upload=photo_upload())
        member_services.member_delete(member=gone)
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(stored) == 3 + 3 + 1  # member, interview, event: the latest of each, nothing else
    assert "agree" in run_check()


@pytest.mark.media_inconsistent("it leaves a stray file and removes a stored one, to be reported")
def test_media_check_reports_a_stray_file_and_a_missing_one(django_capture_on_commit_callbacks):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        member_services.member_portrait_set(member=member, upload=photo_upload())
    stray = Path(settings.MEDIA_ROOT) / "portraits" / "left-behind.jpg"
    stray.write_bytes(b"x")
    Path(member.portrait_small.path).unlink()
    with pytest.raises(CommandError) as error:
        run_check()
    assert "1 unreferenced file(s), 1 missing file(s)" in str(error.value)


def test_media_check_with_no_media_folder_at_all_agrees():
    assert not Path(settings.MEDIA_ROOT).exists()
    assert "agree" in run_check()
