"""Files follow the transaction: a save that fails leaves the old image and no new file behind."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError

from events.services.events import event_cover_set
from interviews import services as interview_services
from members import services as member_services
from otg.common.files import files_atomic
from tests.factories import EventFactory, InterviewFactory, MemberFactory
from tests.helpers.database import refused_updates
from tests.helpers.photos import photo_upload, photo_with_gps

pytestmark = pytest.mark.django_db


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def member_kind():
    member = MemberFactory(is_public=True)
    return (
        member,
        "members_member",
        "portrait",
        lambda upload: member_services.member_portrait_set(member=member, upload=upload),
        lambda: [member.portrait, member.portrait_small, member.portrait_large],
    )


def interview_kind():
    interview = InterviewFactory()
    return (
        interview,
        "interviews_interview",
        "portrait",
        lambda upload: interview_services.interview_portrait_set(
            interview=interview, upload=upload, alt="Ett porträtt"
        ),
        lambda: [interview.portrait, interview.portrait_square, interview.portrait_thumb],
    )


def event_kind():
    event = EventFactory()
    return (
        event,
        "events_event",
        "cover_image",
        lambda upload: event_cover_set(event=event, upload=upload, alt="Ett omslag"),
        lambda: [event.cover_image],
    )


KINDS = {"member portrait": member_kind, "interview portrait": interview_kind, "event cover": event_kind}


@pytest.mark.parametrize("kind", KINDS)
def test_a_replacement_whose_save_fails_keeps_the_old_image_and_leaves_no_new_file(
    kind, client, django_capture_on_commit_callbacks
):
    row, table, column, store, files = KINDS[kind]()
    with django_capture_on_commit_callbacks(execute=True):
        store(photo_upload())
    old_names = [f.name for f in files()]
    before = media_files()
    assert set(old_names) == before

    with (
        django_capture_on_commit_callbacks(execute=True),
        refused_updates(table, column),
        pytest.raises(DatabaseError),
    ):
        store(photo_upload(photo_with_gps("PNG"), "ny.png"))

    assert media_files() == before  # no new file left, no old file removed
    row.refresh_from_db()
    assert [f.name for f in files()] == old_names
    for name in old_names:  # the old image still shows
        response = client.get(settings.MEDIA_URL + name)
        assert response.status_code == 200


def test_a_failure_after_the_service_in_an_enclosing_block_removes_the_new_files(
    django_capture_on_commit_callbacks,
):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        member_services.member_portrait_set(member=member, upload=photo_upload())
    before = media_files()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), files_atomic():
        member_services.member_portrait_set(member=member, upload=photo_upload())
        assert len(media_files()) == 6  # written, not yet committed
        raise RuntimeError("a later step of the same change fails")
    assert media_files() == before
    member.refresh_from_db()
    assert {f.name for f in member.portrait_files()} == before


def test_old_files_go_only_after_the_commit(django_capture_on_commit_callbacks):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        member_services.member_portrait_set(member=member, upload=photo_upload())
    old = media_files()
    with django_capture_on_commit_callbacks(execute=True):
        member_services.member_portrait_set(member=member, upload=photo_upload())
        assert old < media_files()  # both, until the commit
    assert not (old & media_files())
    assert len(media_files()) == 3
