"""Event times in the reader's language: "13 november 2026 kl. 09.00" in Swedish."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format_raw
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()


def _time(value: datetime) -> str:
    # Swedish writes 09.00; the format itself is translated.
    return date_format_raw(value, pgettext("time of day format", "H:i"))


@register.filter
def when(value: datetime) -> str:
    local = timezone.localtime(value)
    return _("%(date)s at %(time)s") % {"date": date_format(local, "DATE_FORMAT"), "time": _time(local)}


@register.simple_tag
def event_when(event) -> str:
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    if start.date() == end.date():
        return _("%(date)s at %(start)s–%(end)s") % {  # noqa: RUF001 (an en dash between times)
            "date": date_format(start, "DATE_FORMAT"),
            "start": _time(start),
            "end": _time(end),
        }
    return f"{when(start)} \u2013 {when(end)}"
