import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from members import services
from members.models import Member
from tests.factories import MemberFactory
from tests.helpers.photos import photo_upload
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    force_login_with_second_factor(
        client, MemberFactory(is_staff=True, is_superuser=True, name="Admin Adminsson")
    )
    return client


def changelist(admin_client, **params):
    return admin_client.get(reverse("admin:members_member_changelist"), params)


def test_member_admin_searches_by_name_and_email(admin_client):
    MemberFactory(name="Alva Berg", email="alva@example.org")
    MemberFactory(name="Bo Ek", email="bo@example.org")
    by_name = changelist(admin_client, q="Alva")
    assertContains(by_name, "alva@example.org")
    assertNotContains(by_name, "bo@example.org")
    by_email = changelist(admin_client, q="bo@example")
    assertContains(by_email, "Bo Ek")
    assertNotContains(by_email, "Alva Berg")


def test_member_admin_filters_by_verified_email(admin_client):
    MemberFactory(name="Verifierad Person")
    unverified = MemberFactory(name="Overifierad Person", verified_email=False)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False, primary=True)
    verified = changelist(admin_client, email_verified="yes")
    assertContains(verified, "Verifierad Person")
    assertNotContains(verified, "Overifierad Person")
    assertContains(changelist(admin_client, email_verified="no"), "Overifierad Person")


def test_member_admin_filters_by_public_profile_and_staff(admin_client):
    MemberFactory(name="Offentlig Person", is_public=True)
    MemberFactory(name="Privat Person")
    public = changelist(admin_client, is_public__exact="1")
    assertContains(public, "Offentlig Person")
    assertNotContains(public, "Privat Person")
    staff = changelist(admin_client, is_staff__exact="1")
    assertContains(staff, "Admin Adminsson")
    assertNotContains(staff, "Privat Person")


def test_member_admin_change_page_shows_no_password_hash_but_the_portrait(admin_client, member):
    services.member_portrait_set(member=member, upload=photo_upload())
    member.refresh_from_db()
    response = admin_client.get(reverse("admin:members_member_change", args=[member.pk]))
    html = response.content.decode()
    assert member.password and member.password not in html
    assert "md5$" not in html
    assertContains(response, member.portrait_small.url)


def test_member_admin_delete_goes_through_member_delete(admin_client, member):
    response = admin_client.post(reverse("admin:members_member_delete", args=[member.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Member.objects.filter(pk=member.pk).exists()
    assert not EmailAddress.objects.filter(email=member.email).exists()


def test_member_admin_add_gives_an_unusable_password(admin_client):
    admin_client.post(
        reverse("admin:members_member_add"),
        {
            "email": "ny@example.org",
            "name": "Ny Person",
            "preferred_language": "sv",
            "is_active": "on",
            "date_joined_0": "2026-11-27",
            "date_joined_1": "10:00:00",
        },
    )
    created = Member.objects.get(email="ny@example.org")
    assert not created.has_usable_password()


def test_editors_group_migration_creates_the_group_once_without_permissions_on_members():
    # Transactional tests elsewhere empty every table, data-migration rows included: run it again here.
    Group.objects.filter(name="Redaktörer").delete()
    editors_migration = importlib.import_module("members.migrations.0004_create_editors_group")
    editors_migration.create_editors_group(django_apps, None)
    editors_migration.create_editors_group(django_apps, None)
    editors = Group.objects.get(name="Redaktörer")
    assert not editors.permissions.filter(content_type__app_label="members").exists()
