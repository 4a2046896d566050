from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from otg.common import topics


class TopicSitemap(Sitemap):
    """The topic pages of every tag in public use: the same definition as /amnen/ (otg.common.topics),
    so a tag that only private or unpublished things carry is not named here either."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return topics.in_public_use().order_by("slug")

    def location(self, tag) -> str:
        return reverse("topic-detail", args=[tag.slug])
