"""The attendee list for those who run an event: on a page, as CSV and as an Excel workbook.

Least data: a host sees names and the needs the event must meet, and writes to attendees through the
message tool; e-mail addresses only for those events.permissions.can_see_attendee_addresses allows.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.models import Event, Rsvp
from events.permissions import can_see_attendee_addresses
from events.views.common import host_event
from otg.common.spreadsheet import csv_writer, write_row, xlsx_bytes


def _attendees(event: Event):
    return (
        Rsvp.objects.active()
        .filter(event=event, member__isnull=False)
        .select_related("member")
        .order_by("status", "created_at", "pk")
    )


@login_required
@require_safe
def organiser_attendees(request: HttpRequest, slug: str) -> HttpResponse:
    event = host_event(request, slug)
    rsvps = list(_attendees(event))
    context = {
        "event": event,
        "show_addresses": can_see_attendee_addresses(request, event),
        "going": [r for r in rsvps if r.status == Rsvp.Status.GOING],
        "waitlisted": [r for r in rsvps if r.status == Rsvp.Status.WAITLISTED],
        "maybe": [r for r in rsvps if r.status == Rsvp.Status.MAYBE],
    }
    return render(request, "events/organiser_attendees.html", context)


def _attendee_rows(events, *, addresses: bool):
    """A header and one row per attendee of the given events, for the CSV and the .xlsx export; the
    column of addresses only with ``addresses``."""
    yield [
        _("Event"),
        _("Name"),
        *([_("Email")] if addresses else []),
        _("Status"),
        _("Accessibility needs"),
        _("Dietary needs"),
        _("Answered"),
    ]
    rsvps = (
        Rsvp.objects.active()
        .filter(event__in=events, member__isnull=False)
        .select_related("member", "event")
        .order_by("event__start", "status", "created_at", "pk")
    )
    for rsvp in rsvps:
        yield [
            rsvp.event.title,
            rsvp.member.name,
            *([rsvp.member.email] if addresses else []),
            rsvp.get_status_display(),
            rsvp.accessibility_needs,
            rsvp.dietary_needs,
            timezone.localtime(rsvp.created_at).strftime("%Y-%m-%d %H:%M"),
        ]


def attendees_csv_response(events, *, addresses: bool) -> HttpResponse:
    """Attendees of the given events as CSV (shared by the organiser page and the admin action);
    their addresses only with ``addresses``.

    Every cell goes through otg.common.spreadsheet: none can be read as a formula, whatever separator
    the spreadsheet splits on.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="deltagare.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly only with a BOM.
    writer = csv_writer(response)
    for row in _attendee_rows(events, addresses=addresses):
        write_row(writer, row)
    return response


@login_required
@require_safe
def organiser_attendees_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = host_event(request, slug)
    return attendees_csv_response(
        Event.objects.filter(pk=event.pk), addresses=can_see_attendee_addresses(request, event)
    )


@login_required
@require_safe
def organiser_attendees_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    """The same list as an Excel workbook: typed cells, so no separator or formula question arises."""
    event = host_event(request, slug)
    rows = _attendee_rows(
        Event.objects.filter(pk=event.pk), addresses=can_see_attendee_addresses(request, event)
    )
    content = xlsx_bytes(rows, title=_("Attendees"))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="deltagare.xlsx"'
    return response
