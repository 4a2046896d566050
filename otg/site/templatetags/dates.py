"""Dates for the machine: what a <time datetime> attribute holds (HTML allows at most three decimals)."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso(value: date | datetime | None) -> str:
    """A valid HTML date or global date-and-time string, to the second: 2026-12-11T17:30:00+01:00."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()
