from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from interviews.models import Interview
from otg.common.markdown import render_markdown

FEED_SIZE = 20


class LatestInterviewsFeed(Feed):
    title = _("Interviews from One Team Gov Sverige")
    link = reverse_lazy("interviews:interview-list")
    description = _("The latest interviews from One Team Gov Sverige.")
    # The interviews are written in Swedish, whatever language the reader's browser asks for (WCAG 3.1.2).
    language = "sv"
    # The editors' own names stay out of the feed: a member's name is public only by their choice.
    author_name = "One Team Gov Sverige"

    def items(self):
        return Interview.objects.published().newest_first()[:FEED_SIZE]

    def item_title(self, item: Interview) -> str:
        return item.title

    def item_description(self, item: Interview) -> str:
        return render_markdown(item.introduction)

    def item_pubdate(self, item: Interview):
        return item.published_at

    def item_updateddate(self, item: Interview):
        return item.updated_at

    def item_guid(self, item: Interview) -> str:
        return f"{settings.SITE_URL}/intervjuer/{item.pk}"

    item_guid_is_permalink = False


class LatestInterviewsAtomFeed(LatestInterviewsFeed):
    feed_type = Atom1Feed
    subtitle = LatestInterviewsFeed.description
