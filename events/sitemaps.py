from django.contrib.sitemaps import Sitemap

from events.models import Event


class EventSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Event.objects.visible().filter(status=Event.Status.PUBLISHED).order_by("-start")

    def lastmod(self, event: Event):
        return event.updated_at
