"""A newcomer's whole journey with their own data, by keyboard, on pages that carry no JavaScript.

JavaScript stays switched on in this browser: with it off, Chromium 156 under Playwright 1.65 never sends
a multipart form once a file was set on its input (the POST hangs without a timeout). Instead every page
on the way is checked to hold no <script> at all, so nothing here can depend on JavaScript.
"""

import io
import json
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from PIL import Image

from members.models import Member
from tests.helpers.photos import GPS_TAG, photo_with_gps

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser_context_args(accept_downloads=True),
]

PASSWORD = "correct-horse-battery"


def test_newcomer_signs_up_verifies_fills_in_profile_downloads_data_and_deletes_account(
    language_page, live_server, tmp_path, axe_violations, mailoutbox, context
):
    photo = tmp_path / "semester.jpg"
    photo.write_bytes(photo_with_gps())
    with Image.open(photo) as original:
        assert original.getexif().get(GPS_TAG) is not None
    page = language_page("en")
    page.set_default_timeout(15000)
    scripts_seen = []
    # Only our own static files may be scripts (the error summary's focus handling), never inline ones.
    inline = "script:not([src^='/static/js/'])"
    page.on("load", lambda loaded: scripts_seen.append((loaded.url, loaded.locator(inline).count())))

    # Sign up: name, email, password, the principles; no organisation asked for.
    page.goto(live_server.url + reverse("account_signup"))
    page.get_by_label("Name").fill("Testa Testsson")
    page.get_by_label("Email").fill("testa@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I accept the movement").press("Space")
    page.get_by_role("button", name="Become a member").press("Enter")
    page.wait_for_url(live_server.url + reverse("account_email_verification_sent"))
    assert axe_violations(page) == []

    # Open the verification mail from the outbox and confirm the address.
    link = re.search(r"https?://\S+", mailoutbox[-1].body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm").press("Enter")
    page.wait_for_load_state()
    member = Member.objects.get(email="testa@example.org")
    assert member.emailaddress_set.get().verified

    # Sign in with the password, in a fresh session.
    context.clear_cookies(name="sessionid")
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Email").fill("testa@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").press("Enter")
    page.wait_for_url(lambda url: reverse("account_login") not in url)
    assert "Sign out" in page.content()

    # Fill in the profile: typing, Space on the checkboxes, Enter on the submit button.
    page.goto(live_server.url + reverse("members:profile-edit"))
    page.get_by_label("Display name").fill("Alva Testsson")
    page.get_by_label("Short bio").fill("Jag gillar klarspråk och fika.")
    page.get_by_label("Interests").fill("klarspråk, öppna data")
    page.get_by_role("textbox", name="What I work with").fill("Handläggare")
    page.get_by_label("New portrait").set_input_files(str(photo))
    page.get_by_label("Public profile").press("Space")
    page.get_by_role("button", name="Save profile").press("Enter")
    page.wait_for_url(live_server.url + member.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Alva Testsson"
    assert "Handläggare" not in page.content()
    assert page.get_by_role("img", name="Portrait of Alva Testsson").is_visible()
    assert axe_violations(page) == []

    member.refresh_from_db()
    assert member.is_public
    with Image.open(member.portrait.path) as stored:
        assert dict(stored.getexif()) == {}

    # Find yourself in the directory.
    page.goto(live_server.url + reverse("members:member-list"))
    page.get_by_label("Search by name").fill("Alva")
    page.get_by_label("Search by name").press("Enter")
    page.get_by_role("link", name="Alva Testsson").wait_for()

    # Download your data.
    page.goto(live_server.url + reverse("members:my-data"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").press("Enter")
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))  # noqa: SIM115
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["name"] == "Alva Testsson"
    assert data["profile"]["interests"] == ["klarspråk", "öppna data"]
    assert data["profile"]["portrait"] in archive.namelist()

    # Delete the account: allauth asks for the password again first.
    page.get_by_role("link", name="Delete my account").press("Enter")
    page.wait_for_url("**" + reverse("account_reauthenticate") + "**")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(live_server.url + reverse("members:account-delete"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Delete my account permanently").press("Enter")
    page.wait_for_url(live_server.url + reverse("home"))
    assert "Your account and everything stored about you have been deleted." in page.content()
    assert not Member.objects.filter(pk=member.pk).exists()

    # Signing in now fails, and the directory no longer lists you.
    page.goto(live_server.url + reverse("account_login"))
    page.locator("input[name=login]").fill(member.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url + reverse("account_login"))
    assert page.locator("[data-error-summary]").is_visible()
    assert page.get_by_role("button", name="Sign out").count() == 0
    page.goto(live_server.url + reverse("members:member-list") + "?q=Alva")
    assert page.get_by_role("link", name="Alva Testsson").count() == 0

    assert len(scripts_seen) >= 8
    assert [(url, count) for url, count in scripts_seen if count] == []
