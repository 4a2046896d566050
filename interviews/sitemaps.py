from django.contrib.sitemaps import Sitemap

from interviews.models import Interview


class InterviewSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Interview.objects.published().newest_first()

    def lastmod(self, item: Interview):
        return item.updated_at
