"""Event times in the reader's language, one format everywhere (otg/formats): "11 december 2026 kl.
17.30-19.30" in Swedish, "11 December 2026, 17:30-19:30" in English (with an en dash); and what a card
says about the signed-in member's own answer."""

from datetime import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from events.calendars import google_calendar_url, outlook_calendar_url
from events.models import Event, EventReport, Follow, Rsvp
from events.permissions import can_moderate
from events.structured_data import event_json_ld

register = template.Library()


@register.filter
def when(value: datetime) -> str:
    local = timezone.localtime(value)
    return _("%(date)s, %(time)s") % {"date": date_format(local, "DATE_FORMAT"), "time": time_format(local)}


@register.simple_tag
def event_when(event) -> str:
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    if start.date() == end.date():
        return _("%(date)s, %(start)s–%(end)s") % {  # noqa: RUF001 (an en dash between times)
            "date": date_format(start, "DATE_FORMAT"),
            "start": time_format(start),
            "end": time_format(end),
        }
    return f"{when(start)} \u2013 {when(end)}"


@register.simple_tag
def event_times(event) -> str:
    """The times alone ("17.30-19.30", with an en dash), beside a date block that shows the day."""
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    if start.date() == end.date():
        return f"{time_format(start)}\u2013{time_format(end)}"
    return event_when(event)


@register.simple_tag
def date_block(event) -> str:
    """The calendar-leaf date (day and month): for the eye only, the full date is written beside it.
    A simple tag, not an included template: each card of a list and each event page renders one."""
    start = timezone.localtime(event.start)
    return format_html(
        '<span class="date-block" aria-hidden="true"><span class="date-block-month">{}</span>'
        '<span class="date-block-day">{}</span></span>\n',
        date_format(start, "b"),
        start.day,
    )


@register.simple_tag
def google_calendar(event, path: str = "") -> str:
    return google_calendar_url(event, path=path)


@register.simple_tag
def outlook_calendar(event, path: str = "") -> str:
    return outlook_calendar_url(event, path=path)


def _my_rsvps(request) -> dict:
    """The signed-in member's active answers by event id, read once per request (one query)."""
    cached = getattr(request, "_my_rsvps", None)
    if cached is None:
        cached = {}
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            rsvps = Rsvp.objects.active().filter(member=user).with_waitlist_position()
            cached = {rsvp.event_id: rsvp for rsvp in rsvps}
        request._my_rsvps = cached
    return cached


@register.simple_tag(takes_context=True)
def my_rsvp(context, event):
    """The member's own active answer for this event, or None (never inside a shared cached fragment)."""
    request = context.get("request")
    if request is None:
        return None
    return _my_rsvps(request).get(event.pk)


@register.simple_tag
def people_links(people) -> str:
    """A list item linking each (pk, name) to the member's profile: the event's attendees, who may be
    hundreds, read as two columns instead of whole members."""
    # escape() is what {{ name }} did; format_html_join cost 60 calls a name for the same text.
    return mark_safe(
        "".join(
            f'<li><a href="{reverse("members:member-detail", args=[pk])}">{escape(name)}</a></li>'
            for pk, name in people
        )
    )


@register.simple_tag(name="event_json_ld")
def event_json_ld_tag(event, path: str = ""):
    """The event's schema.org data block (events.structured_data); per request, outside any cache."""
    return event_json_ld(event, path=path)


@register.simple_tag(takes_context=True)
def my_follow(context, kind: str, value: str):
    """The signed-in member's follow of a topic (by slug) or a city, or None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not value:
        return None
    follows = Follow.objects.filter(member=user, kind=kind)
    if kind == Follow.Kind.TOPIC:
        return follows.filter(tag__slug=value).first()
    if kind == Follow.Kind.SERIES:
        return follows.filter(series__slug=value).first()
    return follows.filter(city__iexact=value).first()


def _may_review(request) -> bool:
    """Whether this request may review proposals: the one place the header and the admin's index ask."""
    return request is not None and getattr(request, "user", None) is not None and can_moderate(request)


@register.simple_tag(takes_context=True)
def review_queue_count(context) -> int | None:
    """How many proposals wait for review, for those who may review them; None for everyone else (who
    costs no count)."""
    request = context.get("request")
    if not _may_review(request):
        return None
    return Event.objects.awaiting_review().count()


WAITING_SHOWN = 5


@register.simple_tag(takes_context=True)
def admin_waiting(context) -> dict:
    """What waits for the signed-in staff member on the admin's index: proposals to review (for those
    who may review) and open reports (for those who may see them), each the oldest few and a count."""
    request = context.get("request")
    waiting = {}
    if _may_review(request):
        proposals = Event.objects.awaiting_review().select_related("proposed_by")
        waiting["proposals"] = list(proposals[:WAITING_SHOWN])
        waiting["proposal_count"] = proposals.count()
    if request is not None and request.user.has_perm("events.view_eventreport"):
        reports = EventReport.objects.open().select_related("event")
        waiting["reports"] = list(reports[:WAITING_SHOWN])
        waiting["report_count"] = reports.count()
    return waiting
