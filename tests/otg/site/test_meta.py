"""Open Graph and Twitter tags, with absolute addresses from the request."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import EventFactory
from tests.helpers.photos import photo_with_gps

pytestmark = pytest.mark.django_db

HOST = "portal.example.org"


def meta_tags(html: str) -> dict[str, list[str]]:
    """Every <meta property|name=... content=...> in the head, by property or name."""
    head = html.split("</head>", 1)[0]
    tags: dict[str, list[str]] = {}
    pattern = r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)">'
    for key, content in re.findall(pattern, head):
        tags.setdefault(key, []).append(content)
    return tags


def fetch(client, path: str, language: str = "sv") -> dict[str, list[str]]:
    response = client.get(path, headers={"host": HOST, "accept-language": language}, secure=True)
    assert response.status_code == 200
    return meta_tags(response.content.decode())


def assert_card(tags: dict[str, list[str]], *, title: str, url: str) -> None:
    for key in ("og:title", "og:description", "og:url", "og:type", "twitter:card", "twitter:title"):
        assert len(tags.get(key, [])) == 1, f"{key} once: {tags.get(key)}"
    assert tags["og:title"] == [title]
    assert tags["twitter:title"] == [title]
    assert tags["og:url"] == [url]
    assert tags["og:description"][0]


@pytest.mark.parametrize(("language", "locale"), [("sv", "sv_SE"), ("en", "en_GB")])
def test_home_page_has_open_graph_and_twitter_tags(client, settings, language, locale):
    settings.ALLOWED_HOSTS = [HOST]
    tags = fetch(client, reverse("home"), language)
    assert_card(tags, title="One Team Gov Sverige", url=f"https://{HOST}/")
    assert tags["og:locale"] == [locale]
    assert tags["twitter:card"] == ["summary"]


def test_event_page_has_its_title_summary_and_absolute_cover(client, settings):
    settings.ALLOWED_HOSTS = [HOST]
    event = EventFactory(
        title="Meetup om klarspråk", summary="Vi pratar klarspråk.", cover_alt="Ett rött plakat"
    )
    event.cover_image.save("cover.jpg", ContentFile(photo_with_gps()), save=True)
    tags = fetch(client, event.get_absolute_url())
    assert_card(tags, title="Meetup om klarspråk", url=f"https://{HOST}{event.get_absolute_url()}")
    assert tags["og:description"] == ["Vi pratar klarspråk."]
    assert tags["og:type"] == ["article"]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert tags["og:image"] == [f"https://{HOST}{event.cover_image.url}"]
    assert tags["twitter:image"] == tags["og:image"]
    assert tags["og:image:alt"] == ["Ett rött plakat"]


def test_event_page_without_a_cover_has_a_plain_card(client, settings):
    settings.ALLOWED_HOSTS = [HOST]
    event = EventFactory(title="Frukostmöte")
    tags = fetch(client, event.get_absolute_url())
    assert_card(tags, title="Frukostmöte", url=f"https://{HOST}{event.get_absolute_url()}")
    assert "og:image" not in tags
    assert tags["twitter:card"] == ["summary"]


@pytest.mark.parametrize(
    ("name", "sv_title", "en_title"),
    [
        ("events:event-list", "Evenemang", "Events"),
        ("events:event-past", "Tidigare evenemang", "Past events"),
        ("interviews:interview-list", "Intervjuer", "Interviews"),
        ("members:member-list", "Medlemmar", "Members"),
    ],
)
def test_lists_have_open_graph_tags_in_each_language(client, settings, name, sv_title, en_title):
    settings.ALLOWED_HOSTS = [HOST]
    for language, title in (("sv", sv_title), ("en", en_title)):
        tags = fetch(client, reverse(name), language)
        assert_card(tags, title=title, url=f"https://{HOST}{reverse(name)}")
