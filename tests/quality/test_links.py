"""A crawl of the demo site, signed out and signed in, finds no internal link that answers 4xx or 5xx:
a page that links to a topic, a profile or an event that does not exist fails here."""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings

from members.demo import DEMO_MEMBER_EMAIL
from members.models import Member

pytestmark = pytest.mark.django_db

# Enough for every page of the demo content; a crawl that would go further is cut there.
MAX_PAGES = 600
# Sign-out is a form of its own, and the admin is checked by its own tests.
SKIP = ("/konto/logout/", "/admin/")
HREF = re.compile(r'<a\b[^>]*\bhref="([^"]*)"', re.IGNORECASE)


def internal_links(base: str, html: str) -> set[str]:
    links = set()
    for href in HREF.findall(html):
        url, _ = urldefrag(urljoin(base, unescape(href)))
        parts = urlsplit(url)
        if parts.scheme in {"", "http"} and parts.netloc in {"", "testserver"}:
            links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def crawl(client) -> tuple[dict[str, tuple[int, str]], int]:
    """Follow every internal link from the home page; return the broken ones (with a page linking there)."""
    seen = {"/": "(start)"}
    queue = deque(["/"])
    broken = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        visited += 1
        if response.status_code >= 400:
            broken[path] = (response.status_code, seen[path])
            continue
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        for link in sorted(internal_links("http://testserver" + path, response.content.decode())):
            if link not in seen and not link.startswith(SKIP):
                seen[link] = path
                queue.append(link)
    return broken, visited


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_internal_link_is_broken_for_a_visitor(demo, client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    broken, visited = crawl(client)
    assert visited > 30
    assert broken == {}


def test_no_internal_link_is_broken_for_a_member(demo, sign_in_client):
    client = sign_in_client(Member.objects.get(email=DEMO_MEMBER_EMAIL))
    broken, visited = crawl(client)
    assert visited > 30
    assert broken == {}


def test_crawl_finds_a_broken_link(demo, client):
    """The control: a link to a page that does not exist is reported, with the page that links to it."""
    html = '<a href="/amnen/finns-inte/">x</a> <a href="https://example.org/">y</a> <a href="#main">z</a>'
    assert internal_links("http://testserver/", html) == {"/amnen/finns-inte/", "/"}
    assert client.get("/amnen/finns-inte/").status_code == 404
