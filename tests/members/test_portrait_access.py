"""A private member's portrait is served only to those who may see the profile: its owner and staff
with a second factor; a public one to anyone. In production the proxy sends the file after the portal
has said yes (X-Accel-Redirect, MEDIA_ACCEL_REDIRECT)."""

import pytest
from django.test import Client

from members.services import member_portrait_set
from tests.factories import MemberFactory
from tests.helpers.photos import photo_upload
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_portrait(django_capture_on_commit_callbacks):
    def make(**kwargs):
        member = MemberFactory(**kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            member_portrait_set(member=member, upload=photo_upload())
        member.refresh_from_db()
        return member

    return make


def statuses(client, member) -> list[int]:
    return [client.get(f.url).status_code for f in member.portrait_files()]


def test_a_private_members_portrait_is_not_served_to_anyone_with_the_url(with_portrait):
    private = with_portrait(is_public=False)
    assert statuses(Client(), private) == [404, 404, 404]
    other = Client()
    other.force_login(MemberFactory())
    assert statuses(other, private) == [404, 404, 404]
    password_only_staff = Client()
    password_only_staff.force_login(MemberFactory(is_staff=True))
    assert statuses(password_only_staff, private) == [404, 404, 404]


def test_the_owner_and_staff_with_a_second_factor_get_a_private_portrait(with_portrait):
    private = with_portrait(is_public=False)
    owner = Client()
    owner.force_login(private)
    assert statuses(owner, private) == [200, 200, 200]
    response = owner.get(private.portrait_large.url)
    assert response["Content-Type"] == "image/jpeg" or response["Content-Type"].startswith("image/")
    staff = Client()
    force_login_with_second_factor(staff, MemberFactory(is_staff=True))
    assert statuses(staff, private) == [200, 200, 200]


def test_a_public_members_portrait_is_served_to_anyone(with_portrait):
    public = with_portrait(is_public=True)
    assert statuses(Client(), public) == [200, 200, 200]


def test_behind_the_proxy_the_portal_answers_with_an_internal_redirect(with_portrait, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/_media/"
    public, private = with_portrait(is_public=True), with_portrait(is_public=False)
    response = Client().get(public.portrait_large.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/_media/" + public.portrait_large.name
    assert response["Content-Type"].startswith("image/")
    refused = Client().get(private.portrait_large.url)
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
    assert Client().get("/media/portraits/../../etc/passwd").status_code == 404
