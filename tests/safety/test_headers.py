"""Security headers on every response: each parameterless URL pattern, a sample of pages, media, HSTS."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from tests.factories import MemberFactory
from tests.helpers.endpoints import endpoints
from tests.helpers.servers import Browser, database_url, gunicorn, portal_env

pytestmark = pytest.mark.django_db

PARAMETERLESS = [endpoint for endpoint in endpoints() if endpoint.literal is not None]


def assert_security_headers(response) -> None:
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("as_member", [False, True], ids=["anonymous", "member"])
@pytest.mark.parametrize("endpoint", PARAMETERLESS, ids=str)
def test_every_parameterless_url_sends_the_security_headers(client, member, endpoint, as_member):
    if as_member:
        client.force_login(member)
    response = client.get(endpoint.literal)
    assert response.status_code < 500
    assert_security_headers(response)


def test_the_walk_finds_the_portals_own_pages():
    names = {endpoint.name for endpoint in endpoints()}
    assert {"home", "healthz", "account_login", "members:member-detail", "media"} <= names
    assert len(PARAMETERLESS) > 20


@pytest.mark.parametrize(
    "path",
    ["/finns-inte/", "/medlemmar/999999/", "/konto/login/?next=/om/", "/om/?lang=en", "/healthz"],
)
def test_a_sample_of_pages_and_errors_sends_the_security_headers(client, path):
    response = client.get(path)
    assert_security_headers(response)


def test_a_public_profile_and_a_csrf_failure_send_the_security_headers(member):
    member.is_public = True
    member.save()
    assert_security_headers(Client().get(member.get_absolute_url()))
    refused = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en"})
    assert refused.status_code == 403
    assert_security_headers(refused)


def test_uploaded_media_is_served_with_nosniff_and_the_images_content_type(client):
    image = BytesIO()
    Image.new("RGB", (12, 12), "navy").save(image, "PNG")
    name = default_storage.save("portraits/probe.png", ContentFile(image.getvalue()))
    MemberFactory(portrait=name, is_public=True)  # some row's (the media check after each test), public
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == image.getvalue()


PRODUCTION = {
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_COOKIES": "true",
    "DJANGO_BEHIND_PROXY": "true",
    "SITE_URL": "https://portal.example.org",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org,127.0.0.1",
    "CACHE_URL": "locmemcache://",
}


@pytest.mark.e2e
def test_production_settings_send_hsts_behind_a_proxy(settings):
    env = portal_env(DATABASE_URL=database_url(settings.DATABASES["default"]), **PRODUCTION)
    with gunicorn(env, ready_status=301) as base_url:
        browser = Browser(base_url)
        plain = browser.get("/om/")
        assert plain.status == 301
        assert plain.headers["Location"] == base_url.replace("http://", "https://") + "/om/"
        secure = browser.get("/om/", headers={"X-Forwarded-Proto": "https"})
        assert secure.status == 200
        assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert "unsafe-inline" not in secure.headers["Content-Security-Policy"]
        assert secure.headers["X-Content-Type-Options"] == "nosniff"
        browser.get("/konto/login/", headers={"X-Forwarded-Proto": "https"})
        assert all(cookie.secure for cookie in browser.cookies)
        assert browser.cookie("csrftoken")


def _private(response) -> bool:
    directives = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.parametrize("endpoint", PARAMETERLESS, ids=str)
def test_every_page_a_signed_in_member_sees_is_private_and_not_stored(client, member, endpoint):
    """The kind: whatever a signed-in member is shown may be kept by no cache, shared or not."""
    client.force_login(member)
    response = client.get(endpoint.literal)
    if response.status_code < 500:
        assert _private(response), (endpoint.literal, response.headers.get("Cache-Control"))


def test_the_organisers_attendee_page_its_csv_and_my_events_are_private(client):
    """These sent no Cache-Control at all."""
    from django.urls import reverse

    from tests.factories import EventFactory, MemberFactory

    organiser = MemberFactory()
    event = EventFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)
    for name, args in [
        ("events:organiser-attendees", [event.slug]),
        ("events:organiser-attendees-csv", [event.slug]),
        ("events:my-events", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        assert _private(response), name


def test_a_private_calendar_link_is_private_and_a_public_page_stays_cacheable(client, member):
    from django.urls import reverse

    from events.services.exports import calendar_token_get

    token = calendar_token_get(member=member)
    assert _private(client.get(token.get_absolute_url()))
    assert "no-store" not in client.get(reverse("events:event-list")).headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/sok/?q=%00", {}),  # refused by otg.middleware.RejectNulBytesMiddleware before any view
        ("/%00/", {}),
        ("/", {"HTTP_HOST": "angripare.example"}),  # a Host not in ALLOWED_HOSTS
    ],
    ids=["nul-in-query", "nul-in-path", "wrong-host"],
)
def test_early_refusals_send_the_security_headers(client, path, headers):
    response = client.get(path, **headers)
    assert response.status_code == 400
    assert_security_headers(response)
    assert response.headers["X-Frame-Options"] == "DENY"
