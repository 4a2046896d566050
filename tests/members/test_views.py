import io
import json
import zipfile

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains

from members import services
from members.models import Member
from tests.factories import MemberFactory
from tests.helpers.forms import profile_post
from tests.helpers.photos import photo_upload, photo_with_gps
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def public_member(**kwargs) -> Member:
    return MemberFactory(is_public=True, **kwargs)


# --- Profile editing -----------------------------------------------------------------------------


def test_profile_edit_asks_a_visitor_to_sign_in(client):
    response = client.get(reverse("members:profile-edit"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_profile_edit_saves_the_signed_in_members_profile_only(client, member):
    other = MemberFactory(name="Bo Ek")
    client.force_login(member)
    response = client.post(reverse("members:profile-edit"), profile_post(is_public="on"), follow=True)
    assertContains(response, "Alva Berg")
    member.refresh_from_db()
    assert (member.name, member.is_public, member.show_work) == ("Alva Berg", True, False)
    assert sorted(member.interests.names()) == ["klarspråk", "öppna data"]
    other.refresh_from_db()
    assert other.name == "Bo Ek"
    assert list(other.interests.names()) == []


def test_profile_edit_has_no_organisation_field(client, member):
    client.force_login(member)
    response = client.get(reverse("members:profile-edit"))
    assertContains(response, 'name="name"')
    assert "organi" not in response.content.decode().lower()


def test_profile_edit_uploads_a_portrait_without_gps(client, member):
    client.force_login(member)
    client.post(reverse("members:profile-edit"), {**profile_post(), "portrait_upload": photo_upload()})
    member.refresh_from_db()
    with Image.open(member.portrait.open("rb")) as stored:
        assert dict(stored.getexif()) == {}
    assert member.portrait_small and member.portrait_large


def test_profile_edit_refuses_a_text_file_with_a_message_and_changes_nothing(client, member):
    client.force_login(member)
    before = member.name
    response = client.post(
        reverse("members:profile-edit"),
        {**profile_post(), "portrait_upload": photo_upload(b"just text", "bild.jpg")},
    )
    assert response.status_code == 200
    assertContains(response, "Filen är inte en bild som vi kan läsa")
    member.refresh_from_db()
    assert member.name == before
    assert not member.portrait


def test_profile_edit_refuses_an_oversized_upload_in_swedish(client, member):
    client.force_login(member)
    big = photo_with_gps() + b"\0" * (5 * 1024 * 1024)
    response = client.post(
        reverse("members:profile-edit"),
        {**profile_post(), "portrait_upload": photo_upload(big)},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assertContains(response, "Bilden är för stor")
    member.refresh_from_db()
    assert not member.portrait


def test_profile_edit_removes_the_portrait(client, member):
    services.member_portrait_set(member=member, upload=photo_upload())
    client.force_login(member)
    client.post(reverse("members:profile-edit"), {**profile_post(), "remove_portrait": "on"})
    member.refresh_from_db()
    assert not member.portrait


def test_profile_edit_refuses_an_empty_name(client, member):
    client.force_login(member)
    response = client.post(reverse("members:profile-edit"), profile_post(name=""))
    assert response.status_code == 200
    assertContains(response, "error-summary")
    member.refresh_from_db()
    assert member.name != ""


# --- Profile page --------------------------------------------------------------------------------


def test_member_detail_shows_a_public_profile_to_anyone(client):
    alva = public_member(name="Alva Berg", bio="Hej!", work_description="Skatteverket", show_work=False)
    alva.interests.add("innovation")
    response = client.get(alva.get_absolute_url())
    assertContains(response, "Alva Berg")
    assertContains(response, "innovation")
    assertNotContains(response, "Skatteverket")
    assertNotContains(response, alva.email)


def test_member_detail_shows_work_when_the_member_chose_to(client):
    alva = public_member(work_description="Skatteverket", show_work=True)
    assertContains(client.get(alva.get_absolute_url()), "Skatteverket")


def test_member_detail_reads_only_what_the_profile_shows(client, django_assert_max_num_queries):
    alva = public_member(
        name="Alva Berg",
        pronouns="hon",
        bio="Rad ett\nRad två",
        work_description="Skatteverket",
        show_work=True,
    )
    services.member_portrait_set(member=alva, upload=photo_upload())
    alva.interests.add("innovation")
    # The profile and its interests, and nothing loaded later for a column the page shows.
    with django_assert_max_num_queries(2) as queries:
        response = client.get(alva.get_absolute_url())
    for shown in ("Alva Berg", "hon", "Rad ett<br>Rad två", "Skatteverket", "innovation", "portrait-large"):
        assertContains(response, shown)
    # A first render of a profile neither builds nor reads the account's password hash or address.
    member_sql = next(query["sql"] for query in queries.captured_queries if "members_member" in query["sql"])
    assert '"password"' not in member_sql and '"email"' not in member_sql


def test_member_detail_shows_the_owner_of_a_public_profile_their_settings(client):
    alva = public_member(name="Alva Berg")
    client.force_login(alva)
    response = client.get(alva.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assertContains(response, "Alva Berg")
    assertContains(response, reverse("members:profile-edit"))
    assertNotContains(response, "Your profile is private.")


def test_member_detail_of_a_private_profile_is_404_for_visitors_and_other_members(client, member):
    assert client.get(member.get_absolute_url()).status_code == 404
    client.force_login(MemberFactory())
    assert client.get(member.get_absolute_url()).status_code == 404


def test_member_detail_of_a_private_profile_shows_the_owner_a_notice_and_edit_link(client, member):
    client.force_login(member)
    response = client.get(member.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assertContains(response, "Your profile is private.")
    assertContains(response, reverse("members:profile-edit"))
    assertContains(response, reverse("account_email"))


def test_member_detail_of_a_private_profile_is_visible_to_staff(client, member):
    force_login_with_second_factor(client, MemberFactory(is_staff=True))
    assertContains(client.get(member.get_absolute_url()), member.name)


# --- Directory -----------------------------------------------------------------------------------


def test_member_list_shows_only_public_profiles(client):
    public_member(name="Alva Berg")
    MemberFactory(name="Hemlig Person")
    response = client.get(reverse("members:member-list"))
    assertContains(response, "Alva Berg")
    assertNotContains(response, "Hemlig Person")


def test_member_list_searches_by_name(client):
    public_member(name="Alva Berg")
    public_member(name="Bo Ek")
    response = client.get(reverse("members:member-list"), {"q": "alva"})
    assertContains(response, "Alva Berg")
    assertNotContains(response, "Bo Ek")


def test_member_list_filters_by_interest(client):
    alva = public_member(name="Alva Berg")
    alva.interests.add("öppna data")
    public_member(name="Bo Ek").interests.add("ledarskap")
    slug = alva.interests.get().slug
    response = client.get(reverse("members:member-list"), {"amne": slug})
    assertContains(response, "Alva Berg")
    assertNotContains(response, "Bo Ek")


def test_member_list_with_an_unknown_topic_lists_nobody(client):
    public_member(name="Alva Berg")
    response = client.get(reverse("members:member-list"), {"amne": "finns-inte"})
    assert response.status_code == 200
    assertNotContains(response, "Alva Berg")


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", "1.5", ""])
def test_member_list_bad_page_numbers_never_fail(client, page):
    for _ in range(30):
        public_member()
    response = client.get(reverse("members:member-list"), {"sida": page})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) > 0


def test_member_list_paginates_24_per_page(client):
    for number in range(30):
        public_member(name=f"Medlem {number:02d}")
    first = client.get(reverse("members:member-list"))
    second = client.get(reverse("members:member-list"), {"sida": 2})
    assert len(first.context["page"].object_list) == 24
    assertContains(second, "Medlem 29")
    assertNotContains(second, "Medlem 00")


def test_member_list_query_count_does_not_grow_with_members(client, django_assert_max_num_queries):
    for number in range(30):
        member = public_member(name=f"Medlem {number:02d}")
        member.interests.add("klarspråk", f"ämne {number}")
        services.member_portrait_set(member=member, upload=photo_upload(photo_with_gps(size=(100, 100))))
    client.force_login(MemberFactory())
    # 6, and 2 for the header's question whether the member reviews proposals (Django reads a member's
    # own and their groups' permissions once per request).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("members:member-list"))
    assertContains(response, "ämne 5")
    assertContains(response, "/media/portraits/")


# --- Your data -----------------------------------------------------------------------------------


def test_data_export_downloads_a_zip_with_the_profile(client, member):
    services.member_profile_update(member=member, name="Alva Berg", bio="Hej")
    client.force_login(member)
    response = client.get(reverse("members:data-export"))
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert json.loads(archive.read("data.json"))["profile"]["name"] == "Alva Berg"


def test_data_export_asks_a_visitor_to_sign_in(client):
    assert client.get(reverse("members:data-export")).url.startswith(reverse("account_login"))


def sign_in_through_allauth(client: Client, member: Member) -> None:
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302, response.content


def reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content


def test_account_delete_requires_reauthentication(client, member):
    sign_in_through_allauth(client, member)
    response = client.get(reverse("members:account-delete"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(reverse("members:account-delete"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert Member.objects.filter(pk=member.pk).exists()


def test_account_delete_after_reauthentication_deletes_and_signs_out_everywhere(client, member):
    other_device = Client()
    sign_in_through_allauth(other_device, member)
    untracked_device = Client()
    untracked_device.force_login(member)
    assert other_device.get(reverse("members:profile-edit")).status_code == 200
    assert UserSession.objects.filter(user=member).exists()
    other_key = other_device.cookies["sessionid"].value

    sign_in_through_allauth(client, member)
    reauthenticate(client)
    assertContains(client.get(reverse("members:account-delete")), 'class="button-danger"')
    response = client.post(reverse("members:account-delete"), follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assertContains(response, "Your account and everything stored about you have been deleted.")
    assert not Member.objects.filter(pk=member.pk).exists()
    assert not Session.objects.filter(session_key=other_key).exists()
    for device in (client, other_device, untracked_device):
        after = device.get(reverse("members:profile-edit"))
        assert after.status_code == 302 and after.url.startswith(reverse("account_login"))


def test_account_delete_then_sign_in_fails(client, member):
    services.member_delete(member=member)
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- Navigation and privacy page -----------------------------------------------------------------


def test_header_links_to_the_directory_and_my_profile(client, member):
    client.force_login(member)
    response = client.get(reverse("home"))
    assertContains(response, f'href="{reverse("members:member-list")}"')
    assertContains(response, f'href="{member.get_absolute_url()}"')


def test_privacy_page_lists_what_is_stored_and_for_how_long(client):
    response = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="en")
    for text in ["Until you delete your account.", "at most two weeks", "portrait", "principles", "no log"]:
        assertContains(response, text)


def test_header_marks_only_my_profile_as_current_on_my_profile(client, member):
    client.force_login(member)
    html = client.get(member.get_absolute_url()).content.decode()
    assert html.count('aria-current="page"') == 1
    assert f'<a href="{member.get_absolute_url()}" aria-current="page">' in html
    assert client.get(reverse("members:member-list")).content.decode().count('aria-current="page"') == 1


def test_profile_interests_link_to_their_topic_pages(client):
    from tests.factories import MemberFactory

    member = MemberFactory(is_public=True)
    member.interests.add("klarspråk")
    html = client.get(member.get_absolute_url()).content.decode()
    assert f'<a href="{reverse("topic-detail", args=["klarspråk"])}">klarspråk</a>' in html


def test_private_profile_does_not_link_its_interests_to_topic_pages_that_answer_404(client):
    private = MemberFactory(is_public=False)
    private.interests.add("hemligt intresse")
    client.force_login(private)
    html = client.get(private.get_absolute_url()).content.decode()
    assert "hemligt intresse" in html
    assert reverse("topic-detail", args=["hemligt-intresse"]) not in html
    assert client.get(reverse("topic-detail", args=["hemligt-intresse"])).status_code == 404


def test_account_delete_never_replays_an_abandoned_request_after_reauthentication(client, member):
    """A deletion POSTed before the password was asked for was replayed, with no click, by
    the next reauthentication (allauth keeps the suspended request). Now the member sees the page again."""
    sign_in_through_allauth(client, member)
    abandoned = client.post(reverse("members:account-delete"))
    assert abandoned.url.startswith(reverse("account_reauthenticate"))
    response = client.post(abandoned.url, {"password": PASSWORD}, follow=True)
    assert Member.objects.filter(pk=member.pk).exists()
    assertContains(response, 'class="button-danger"')  # the confirmation, to click again
    client.post(reverse("members:account-delete"))
    assert not Member.objects.filter(pk=member.pk).exists()
