"""Refusals are friendly pages: a 405 from @require_safe and a 400 for suspicious input."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_post_to_a_read_only_page_gets_the_friendly_405_page(client):
    response = client.post(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "Den här sidan kan inte göra det" in html
    assert 'class="site-header"' in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_an_overlong_redirect_gets_the_friendly_400_page(client):
    # The admin sends anonymous visitors to its sign-in page with the path as `next`; Django refuses
    # a redirect longer than 16384 characters as suspicious.
    response = client.get("/admin/sites/site/" + "ä" * 3000 + "/change/")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Begäran kunde inte hanteras" in html
    assert 'class="site-header"' in html


def test_a_disallowed_host_gets_the_friendly_400_page(client):
    response = client.get(reverse("home"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Begäran kunde inte hanteras" in response.content.decode()


@pytest.mark.parametrize("path", ["/amnen/%00/", "/sok/?q=a%00b", "/medlemmar/?amne=%00"])
def test_nul_bytes_get_the_friendly_400_page(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert 'class="site-header"' in response.content.decode()


def test_media_name_too_long_for_the_file_system_is_not_found(client):
    assert client.get("/media/" + "ä" * 300 + ".png").status_code == 404
