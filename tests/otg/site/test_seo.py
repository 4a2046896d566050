"""What search engines and browsers ask of the site by themselves: robots.txt, the sitemap's topic
pages, an interview's Article data, and the favicon."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from events.models import Event
from tests.factories import EventFactory, InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db

NAMESPACE = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_robots_txt_allows_the_site_keeps_private_paths_out_and_names_the_sitemap(client, settings):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for private in ("/admin/", "/konto/", "/evenemang/mina/", "/evenemang/*/vard/", "/medlemmar/profil/"):
        assert f"Disallow: {private}" in lines
    for public in ("/evenemang/", "/intervjuer/", "/medlemmar/", "/amnen/"):
        assert f"Disallow: {public}" not in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines


def _sitemap_paths(client) -> list[str]:
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own response)
    return [re.sub(r"^https?://[^/]+", "", loc.text) for loc in root.findall("s:url/s:loc", NAMESPACE)]


def test_sitemap_lists_the_topic_pages_of_public_topics_only(client):
    EventFactory().tags.add("klarspråk")
    InterviewFactory(tags=["tjänstedesign"])
    EventFactory(status=Event.Status.DRAFT).tags.add("hemligt-utkast")
    InterviewFactory(status="draft", published_at=None, tags=["hemlig-intervju"])
    MemberFactory(is_public=False).interests.add("privat-intresse")

    paths = _sitemap_paths(client)
    topics_page = client.get(reverse("topic-list")).content.decode()

    topic_paths = sorted(path for path in paths if path.startswith("/amnen/"))
    public = Tag.objects.filter(name__in=["klarspråk", "tjänstedesign"])
    assert topic_paths == sorted(reverse("topic-detail", args=[tag.slug]) for tag in public)
    assert len(topic_paths) == 2
    for path in topic_paths:  # the same topics as /amnen/ lists
        assert path in topics_page
    assert not [path for path in paths if "hemlig" in path or "privat" in path]


def test_interview_page_carries_article_json_ld(client, settings):
    interview = InterviewFactory(
        title="Klarspråk är respekt",
        interviewee_name="Lova Exempeldotter",
        introduction="Hon har skrivit om **alla** beslutsbrev </script><script>x()</script>.",
        published_at=timezone.now(),
    )

    body = client.get(interview.get_absolute_url()).content.decode()

    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "Article"
    assert data["headline"] == "Klarspråk är respekt"
    assert data["url"] == settings.SITE_URL + interview.get_absolute_url()
    published = timezone.localtime(interview.published_at).replace(microsecond=0)
    assert data["datePublished"] == published.isoformat()
    assert data["about"]["name"] == "Lova Exempeldotter"
    assert data["publisher"]["name"] == "One Team Gov Sverige"
    assert data["description"].startswith("Hon har skrivit om alla beslutsbrev")
    assert "<script>x()" not in body


def test_interview_preview_carries_no_json_ld(client):
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    draft = InterviewFactory(status="draft", published_at=None)

    body = client.get(draft.get_absolute_url()).content.decode()

    assert "application/ld+json" not in body


def test_favicon_ico_answers_and_every_page_links_the_icons(client):
    response = client.get("/favicon.ico")
    home = client.get(reverse("home")).content.decode()

    assert response.status_code == 302
    assert re.search(r"/static/img/favicon(\.[0-9a-f]+)?\.ico$", response["Location"])
    found = finders.find("img/favicon.ico")
    with open(found, "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file
    assert re.search(r'<link rel="icon" href="/static/img/favicon[^"]*\.svg" type="image/svg\+xml">', home)
    assert re.search(r'<link rel="icon" href="/static/img/favicon[^"]*\.ico" sizes="32x32">', home)
