from django.contrib.sitemaps import Sitemap

from members.models import Member


class MemberSitemap(Sitemap):
    """Public profiles only: the same rule as the directory (Member.objects.public())."""

    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return Member.objects.public().order_by("pk").only("pk")
