"""A profile made private takes its portrait with it: the addresses it had while public lead nowhere."""

import pytest
from django.urls import reverse

from members.models import Member
from members.services import member_portrait_set
from tests.factories import MemberFactory
from tests.helpers.forms import profile_post
from tests.helpers.photos import photo_upload

pytestmark = pytest.mark.django_db


def fetch(client, url: str) -> int:
    response = client.get(url)
    return response.status_code


def test_a_hidden_profiles_portrait_is_not_reachable_by_its_old_address(
    client, django_capture_on_commit_callbacks
):
    member = MemberFactory(is_public=True, name="Alva Berg")
    with django_capture_on_commit_callbacks(execute=True):
        member_portrait_set(member=member, upload=photo_upload())
    old_urls = [f.url for f in member.portrait_files()]
    assert [fetch(client, url) for url in old_urls] == [200, 200, 200]  # public: anyone may see it

    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:profile-edit"), profile_post())  # "public" unticked
    assert response.status_code == 302
    client.logout()

    assert [fetch(client, url) for url in old_urls] == [404, 404, 404]
    member = Member.objects.get(pk=member.pk)
    assert not member.is_public
    new_urls = [f.url for f in member.portrait_files()]
    assert not set(new_urls) & set(old_urls)
    client.force_login(member)  # the owner still sees their portrait on their own page
    assert member.portrait_large.url in client.get(member.get_absolute_url()).content.decode()
    assert fetch(client, member.portrait_large.url) == 200


def test_a_profile_that_stays_public_keeps_its_portrait_addresses(client, django_capture_on_commit_callbacks):
    member = MemberFactory(is_public=True)
    with django_capture_on_commit_callbacks(execute=True):
        member_portrait_set(member=member, upload=photo_upload())
    names = [f.name for f in member.portrait_files()]
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:profile-edit"), profile_post(is_public="on", bio="Ny text."))
    member.refresh_from_db()
    assert [f.name for f in member.portrait_files()] == names


def form_values(form) -> dict:
    """What the browser would send back for an unchanged admin form."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data


@pytest.mark.parametrize("change", [{"is_public": False}, {"is_active": False}])
def test_a_profile_hidden_in_the_admin_takes_its_portrait_addresses_away(
    client, change, django_capture_on_commit_callbacks
):
    from tests.helpers.staff import sign_in_with_second_factor

    member = MemberFactory(is_public=True)
    with django_capture_on_commit_callbacks(execute=True):
        member_portrait_set(member=member, upload=photo_upload())
    old_url = member.portrait_large.url
    sign_in_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:members_member_change", args=[member.pk])
    data = form_values(client.get(url).context["adminform"].form)
    for name in change:
        data.pop(name, None)
    data["interests"] = ""
    for part, moment in (("0", "%Y-%m-%d"), ("1", "%H:%M:%S")):
        for name in ("date_joined", "principles_accepted_at"):
            value = getattr(member, name)
            if value is not None:
                data[f"{name}_{part}"] = value.strftime(moment)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    assert fetch(client, old_url) == 404
    member.refresh_from_db()
    assert member.portrait_large.url != old_url
