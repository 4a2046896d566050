"""Every string an editor sees in the admin is Swedish (or English for an editor who chose English)."""

import pytest
from django.urls import reverse

from tests.factories import MemberFactory
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db

ENGLISH_LEFT_OVERS = [
    "A comma-separated list of tags.",
    "User sessions",
    "Authenticators",
    "Senaste Händelser",
    "Recent actions",
    "Taggit",
    "Tagged items",
    "Last used at",
    "User agent",
]


@pytest.fixture
def admin_client_sv(client):
    force_login_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    client.cookies["django_language"] = "sv"
    return client


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        reverse("admin:events_event_add"),
        reverse("admin:members_member_add"),
        reverse("admin:usersessions_usersession_changelist"),
        reverse("admin:mfa_authenticator_changelist"),
        reverse("admin:taggit_tag_add"),
        reverse("admin:interviews_interview_add"),
        reverse("admin:interviews_interview_import"),
    ],
)
def test_admin_pages_have_no_english_left_in_swedish(admin_client_sv, url):
    html = admin_client_sv.get(url).content.decode()
    for english in ENGLISH_LEFT_OVERS:
        assert english not in html, f"{english!r} on {url}"


def test_admin_third_party_names_in_swedish(admin_client_sv):
    html = admin_client_sv.get(reverse("admin:index")).content.decode()
    assert "Senaste händelser" in html
    assert "Inloggade sessioner" in html
    assert "Autentiserare" in html
    tags = admin_client_sv.get(reverse("admin:events_event_add")).content.decode()
    assert "Ämnen, åtskilda med kommatecken." in tags
    MemberFactory(is_staff=True)  # with an authenticator app
    columns = admin_client_sv.get(reverse("admin:mfa_authenticator_changelist")).content.decode()
    for label in ["Medlem", "Typ", "Skapad", "Senast använd"]:
        assert f">{label}</a>" in columns, label


def test_admin_in_english_for_an_editor_who_chose_english(client):
    force_login_with_second_factor(client, MemberFactory(is_staff=True, is_superuser=True))
    client.cookies["django_language"] = "en"
    html = client.get(reverse("admin:index")).content.decode()
    assert "Recent actions" in html
    assert "User sessions" in html
    assert "Senaste" not in html
