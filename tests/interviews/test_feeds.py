import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone

from tests.factories import InterviewFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interviews():
    now = timezone.now()
    return {
        "old": InterviewFactory(title="Äldre samtal", published_at=now - timedelta(days=2)),
        "new": InterviewFactory(
            title="Nytt samtal", introduction="Om *tillit* & <script>x</script>", published_at=now
        ),
        "draft": InterviewFactory(title="Utkastet", status="draft", published_at=None),
        "scheduled": InterviewFactory(title="Kommer sen", published_at=now + timedelta(days=1)),
    }


@pytest.mark.parametrize("name", ["interviews:feed-rss", "interviews:feed-atom"])
def test_feed_lists_published_interviews_newest_first(client, interviews, name):
    response = client.get(reverse(name))
    feed = feedparser.parse(response.content)
    assert response.status_code == 200
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == ["Nytt samtal", "Äldre samtal"]
    assert feed.entries[0].link.endswith(interviews["new"].get_absolute_url())
    assert feed.entries[0].link.startswith("http")
    assert "<em>tillit</em>" in feed.entries[0].summary
    assert "<script" not in feed.entries[0].summary


def test_feed_does_not_name_the_author(client):
    author = MemberFactory(name="Privat Redaktör", is_public=False)
    InterviewFactory(author=author)
    for name in ("interviews:feed-rss", "interviews:feed-atom"):
        content = client.get(reverse(name)).content.decode()
        assert "Privat Redaktör" not in content
        assert author.email not in content


def test_feed_rss_is_rss_and_atom_is_atom(client, interviews):
    assert feedparser.parse(client.get(reverse("interviews:feed-rss")).content).version == "rss20"
    assert feedparser.parse(client.get(reverse("interviews:feed-atom")).content).version == "atom10"


def test_feed_limits_to_the_latest_twenty(client):
    now = timezone.now()
    for n in range(25):
        InterviewFactory(title=f"Samtal {n:02d}", published_at=now - timedelta(hours=n))
    feed = feedparser.parse(client.get(reverse("interviews:feed-rss")).content)
    assert len(feed.entries) == 20
    assert feed.entries[0].title == "Samtal 00"


def test_sitemap_lists_published_interviews_only(client, interviews):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", namespace)]
    domain = Site.objects.get_current().domain
    assert sorted(locations) == sorted(
        f"http://{domain}{interviews[key].get_absolute_url()}" for key in ("old", "new")
    )
    assert all(url.find("s:lastmod", namespace) is not None for url in root.findall("s:url", namespace))


@pytest.mark.parametrize("name", ["interviews:feed-rss", "interviews:feed-atom"])
def test_feed_says_its_content_is_swedish_to_an_english_reader(client, interviews, name):
    body = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<language>sv</language>" in body or 'xml:lang="sv"' in body
