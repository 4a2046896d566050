"""The pages the benchmark drives, each found in the benchmark data through the apps' own QuerySets."""

from collections.abc import Callable
from typing import NamedTuple

from django.urls import reverse


class Page(NamedTuple):
    name: str
    path: Callable[[], str]


def floor() -> str:
    return reverse("livez")


PAGES = [
    Page("floor (bare view)", floor),
    Page("home", lambda: reverse("home")),
]
