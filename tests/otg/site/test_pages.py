import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_swedish_by_default(client):
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert "One Team Gov Sverige" in html
    assert "Bli medlem" in html
    assert 'href="#main"' in html  # the skip link


def test_home_speaks_english_after_switching_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/om/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/om/"
    html = client.get(reverse("about")).content.decode()
    assert '<html lang="en">' in html
    assert "Our principles" in html


@pytest.mark.parametrize(
    ("name", "swedish_heading"),
    [
        ("about", "Om One Team Gov"),
        ("accessibility", "Tillgänglighetsredogörelse"),
        ("privacy", "Integritet"),
    ],
)
def test_static_pages_show_their_swedish_heading(client, name, swedish_heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert f"<h1>{swedish_heading}</h1>" in response.content.decode()


def test_unknown_path_gets_the_404_page_in_the_site_layout(client):
    response = client.get("/finns-inte/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Sidan hittades inte" in html
    assert 'class="site-header"' in html


def test_server_error_page_renders_in_the_site_layout():
    from otg.site.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_livez_answers_without_the_database(client, monkeypatch, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.content == b"alive\n"


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_responses_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client):
    html = client.get(reverse("home")).content.decode()
    assert "<script>" not in html and "<style" not in html and " style=" not in html


def test_language_switcher_works_without_javascript(client):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'method="post"' in html
    assert '<button type="submit">Byt språk</button>' in html


def test_time_zone_and_language_defaults():
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.LANGUAGE_CODE == "sv"
    # PostgreSQL everywhere, through Django's own backend and its documented health check.
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.vendor == "postgresql"


def test_csrf_is_enforced_on_the_language_switcher(db):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("set_language"), {"language": "en"})
    assert response.status_code == 403
    assert "Åtkomst nekad" in response.content.decode()


def test_browser_language_is_honoured_until_the_member_chooses(client):
    english = client.get(reverse("home"), headers={"accept-language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.content.decode()
    client.post(reverse("set_language"), {"language": "sv"})
    chosen = client.get(reverse("home"), headers={"accept-language": "en-GB,en;q=0.8"})
    assert '<html lang="sv">' in chosen.content.decode()


def test_server_error_page_still_answers_when_the_layout_cannot_render(settings):
    from otg.site.views import server_error

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = settings.MEDIA_ROOT  # an empty folder: no manifest
    response = server_error(None)
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()
