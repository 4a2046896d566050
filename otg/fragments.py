"""Versions for cached page fragments, derived from the very rows a fragment shows.

A list's cards are cached under a key that holds how many rows the list has and when the latest of
them changed (and, for events, how many places are taken), so an edit, a publication, an RSVP or
an event that ends shows at once; only renames of a tag may wait for the timeout.
"""

from datetime import datetime

from django.db.models import Count, Max, QuerySet

FRAGMENT_TIMEOUT = 600


def content_version(queryset: QuerySet, **aggregates) -> str:
    values = queryset.order_by().aggregate(count=Count("pk"), changed=Max("updated_at"), **aggregates)
    return ".".join(
        str(value.timestamp() if isinstance(value, datetime) else value) for value in values.values()
    )
