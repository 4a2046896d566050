import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from members import services
from members.models import Member
from members.signals import member_deleting, member_exporting
from tests.factories import MemberFactory
from tests.helpers.photos import GPS_TAG, photo_upload, photo_with_gps

pytestmark = pytest.mark.django_db


def test_member_profile_update_saves_fields_and_interests(member):
    services.member_profile_update(
        member=member,
        name="  Alva Berg ",
        pronouns="hen",
        bio="Jag gillar klarspråk.",
        interests=["klarspråk", "öppna data", " "],
        work_description="Handläggare",
        show_work=True,
        preferred_language="en",
        is_public=True,
    )
    member = Member.objects.get(pk=member.pk)
    assert member.name == "Alva Berg"
    assert (member.pronouns, member.preferred_language, member.is_public, member.show_work) == (
        "hen",
        "en",
        True,
        True,
    )
    assert sorted(member.interests.names()) == ["klarspråk", "öppna data"]


def test_member_profile_update_shares_one_tag_vocabulary_across_case(member):
    other = MemberFactory()
    services.member_profile_update(member=member, name="A", interests=["Klarspråk"])
    services.member_profile_update(member=other, name="B", interests=["klarspråk"])
    assert list(member.interests.all()) == list(other.interests.all())


def test_member_profile_update_refuses_an_empty_name_and_changes_nothing(member):
    before = member.name
    with pytest.raises(ValidationError):
        services.member_profile_update(member=member, name="   ", bio="ny")
    member.refresh_from_db()
    assert (member.name, member.bio) == (before, "")


def test_member_portrait_set_stores_a_clean_copy_and_two_squares(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.member_portrait_set(member=member, upload=photo_upload())
    member.refresh_from_db()
    with Image.open(member.portrait.open("rb")) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (640, 480)
        assert dict(stored.getexif()) == {}
        assert stored.getexif().get(GPS_TAG) is None
    for field, size in [(member.portrait_small, 96), (member.portrait_large, 400)]:
        with Image.open(field.open("rb")) as square:
            assert square.size == (size, size)
            assert dict(square.getexif()) == {}
    assert "semester" not in member.portrait.name


def test_member_portrait_set_removes_the_old_files_after_commit(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.member_portrait_set(member=member, upload=photo_upload())
    member.refresh_from_db()
    old = [f.name for f in member.portrait_files()]
    assert len(old) == 3 and all(default_storage.exists(name) for name in old)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_portrait_set(member=member, upload=photo_upload(photo_with_gps("PNG"), "b.png"))
    member.refresh_from_db()
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(f.name) for f in member.portrait_files())
    assert member.portrait.name.endswith(".png")


def test_member_portrait_set_refuses_a_non_image_and_keeps_the_old_one(member):
    services.member_portrait_set(member=member, upload=photo_upload())
    member.refresh_from_db()
    before = member.portrait.name
    with pytest.raises(ValidationError):
        services.member_portrait_set(member=member, upload=photo_upload(b"not an image", "x.jpg"))
    member.refresh_from_db()
    assert member.portrait.name == before


def test_member_portrait_clear_deletes_the_files(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.member_portrait_set(member=member, upload=photo_upload())
        services.member_portrait_clear(member=member)
    member.refresh_from_db()
    assert member.portrait_files() == []
    assert default_storage.listdir("portraits")[1] == []


def read_export(content: bytes) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return json.loads(archive.read("data.json")), archive


def test_member_data_export_holds_profile_consents_addresses_and_portrait(member):
    member.principles_version = "2026-1"
    member.save()
    services.member_profile_update(member=member, name="Alva Berg", bio="Hej", interests=["innovation"])
    services.member_portrait_set(member=member, upload=photo_upload())
    EmailAddress.objects.create(user=member, email="alva@privat.example", verified=False, primary=False)
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": "TOPSECRET"})

    data, archive = read_export(services.member_data_export(member=member))

    assert data["profile"]["name"] == "Alva Berg"
    assert data["profile"]["interests"] == ["innovation"]
    assert data["consents"]["principles_version"] == "2026-1"
    assert {a["email"] for a in data["email_addresses"]} == {member.email, "alva@privat.example"}
    assert [a["type"] for a in data["multi_factor_authentication"]] == ["totp"]
    assert b"TOPSECRET" not in archive.read("data.json")
    portrait = archive.read(data["profile"]["portrait"])
    assert Image.open(io.BytesIO(portrait)).format == "JPEG"


def test_member_data_export_includes_what_receivers_return(member):
    def receiver(sender, member, **kwargs):
        return ("rsvps", [{"event": "Träff", "member": member.pk}])

    member_exporting.connect(receiver)
    try:
        data, _archive = read_export(services.member_data_export(member=member))
    finally:
        member_exporting.disconnect(receiver)
    assert data["rsvps"] == [{"event": "Träff", "member": member.pk}]


def test_member_delete_removes_member_addresses_and_portrait_files(
    member, django_capture_on_commit_callbacks
):
    services.member_portrait_set(member=member, upload=photo_upload())
    member.refresh_from_db()
    names = [f.name for f in member.portrait_files()]
    with django_capture_on_commit_callbacks(execute=True):
        services.member_delete(member=member)
    assert not Member.objects.filter(pk=member.pk).exists()
    assert not EmailAddress.objects.filter(email=member.email).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_member_delete_sends_member_deleting_while_the_row_still_exists(member):
    seen = []

    def receiver(sender, member, **kwargs):
        seen.append(Member.objects.filter(pk=member.pk).exists())

    member_deleting.connect(receiver)
    try:
        services.member_delete(member=member)
    finally:
        member_deleting.disconnect(receiver)
    assert seen == [True]


def test_member_delete_rolls_back_everything_when_a_receiver_fails(
    member, django_capture_on_commit_callbacks
):
    services.member_portrait_set(member=member, upload=photo_upload())
    member.refresh_from_db()

    def receiver(sender, member, **kwargs):
        raise RuntimeError("events could not clean up")

    member_deleting.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            services.member_delete(member=member)
    finally:
        member_deleting.disconnect(receiver)
    assert Member.objects.filter(pk=member.pk).exists()
    assert EmailAddress.objects.filter(user=member).exists()
    assert default_storage.exists(member.portrait.name)
