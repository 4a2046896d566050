"""The pages the benchmark drives, each found in the benchmark data through the apps' own QuerySets."""

from collections.abc import Callable
from typing import NamedTuple

from django.urls import reverse


class Page(NamedTuple):
    name: str
    path: Callable[[], str]


def floor() -> str:
    return reverse("livez")


def upcoming_event() -> str:
    from events.models import Event

    return Event.objects.upcoming().filter(slug__startswith="bench-event").first().get_absolute_url()


def interview() -> str:
    from interviews.models import Interview

    return Interview.objects.published().newest_first().first().get_absolute_url()


def topic() -> str:
    from taggit.models import Tag

    return reverse("topic-detail", args=[Tag.objects.get(name="klarspråk").slug])


def unconference(page: str) -> Callable[[], str]:
    """The benchmark's unconference (tests/bench/data.py): its board, or its event page with the schedule."""

    def path() -> str:
        from tests.bench.data import UNCONFERENCE

        if page == "board":
            return reverse("events:session-board", args=[UNCONFERENCE])
        return reverse("events:event-detail", args=[UNCONFERENCE])

    return path


PAGES = [
    Page("floor (bare view)", floor),
    Page("home", lambda: reverse("home")),
    Page("event list", lambda: reverse("events:event-list")),
    Page("event page", upcoming_event),
    Page("interview list", lambda: reverse("interviews:interview-list")),
    Page("interview page", interview),
    Page("public calendar feed", lambda: reverse("events:public-feed")),
    Page("search", lambda: reverse("search") + "?q=f%C3%B6r%C3%A4ndring"),
    Page("member directory", lambda: reverse("members:member-list")),
    Page("topic page", topic),
    Page("unconference board", unconference("board")),
    Page("unconference schedule", unconference("schedule")),
]
# Kept whole for visitors (otg.common.pages): the one statement is the generations' read.
ONE_QUERY = {"unconference board", "unconference schedule"}
