"""Calendar files (RFC 5545): one event, the public feed, and a member's private feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST, require_safe

from events.calendars import event_calendar, events_calendar, public_calendar
from events.models import CalendarToken, Event, Rsvp
from events.services import exports
from events.views.common import visible_event
from otg.common.caching import reads_generations


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = visible_event(request, slug)
    return _ics_response(event_calendar(event), f"{event.slug}.ics")


@require_safe
@gzip_page
@reads_generations("events")
def public_feed(request: HttpRequest, *, version: str) -> HttpResponse:
    return _ics_response(public_calendar(version=version), "evenemang.ics")


@require_safe
@cache_control(private=True, no_store=True)  # one member's events, reached by their secret link
def member_feed(request: HttpRequest, token: str) -> HttpResponse:
    calendar_token = get_object_or_404(CalendarToken.objects.select_related("member"), token=token)
    member = calendar_token.member
    if not member.is_active:
        raise Http404
    events = (
        Event.objects.visible()
        .filter(rsvps__member=member, rsvps__status=Rsvp.Status.GOING)
        .select_related("series")
        .order_by("start")
        .distinct()
    )
    name = _("My events at One Team Gov Sverige")
    return _ics_response(events_calendar(events, name=name), "mina-evenemang.ics")


@login_required
@require_POST
def calendar_token_rotate(request: HttpRequest) -> HttpResponse:
    exports.calendar_token_rotate(member=request.user)
    messages.success(request, _("Your private calendar link is replaced. The old link no longer works."))
    return redirect("events:my-events")
