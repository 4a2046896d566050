"""Versions for cached page fragments, derived from the very rows a fragment shows.

A fragment is cached under a key that holds how many rows it shows and when the latest of them
changed (and, for events, how many places are taken), so an edit, a publication, an RSVP or an event
that ends shows at once; only renames of a tag may wait for the timeout. The count read for the
version also serves the page's paginator, so a cached list costs one query.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Max, QuerySet

FRAGMENT_TIMEOUT = 600


@dataclass(frozen=True)
class Version:
    count: int
    key: str

    def __str__(self) -> str:
        return self.key


def content_version(queryset: QuerySet, **aggregates) -> Version:
    values = queryset.order_by().aggregate(count=Count("*"), changed=Max("updated_at"), **aggregates)
    key = ".".join(
        str(value.timestamp() if isinstance(value, datetime) else value) for value in values.values()
    )
    return Version(count=values["count"], key=key)


def versions(*parts: tuple[QuerySet, tuple[str, ...]]) -> str:
    """The versions of several querysets in one query: per queryset, how many rows, when the latest
    changed and the sum of each named column (places taken, say), as one string."""
    selects, params = [], []
    for queryset, sums in parts:
        columns = ("updated_at", *sums)
        sql, sql_params = queryset.order_by().values(*columns).query.sql_with_params()
        totals = "".join(f" || '/' || coalesce(sum({column}), 0)" for column in sums)
        selects.append(
            f"(SELECT count(*) || '@' || coalesce(max(updated_at)::text, ''){totals} "  # noqa: S608 (Django-compiled SQL)
            f"FROM ({sql}) AS rows({', '.join(columns)}))"
        )
        params += sql_params
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " || ' ' || ".join(selects), params)
        return cursor.fetchone()[0]


class CountedPaginator(Paginator):
    """A paginator told its count (from a version already read) instead of asking the database again."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count
