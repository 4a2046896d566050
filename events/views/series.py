"""Meetups that recur: proposing a series, and the series' page with its dates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from events.forms import SeriesProposeForm
from events.models import Event, EventSeries
from events.permissions import can_host_series, can_moderate, is_trusted_host, refuse
from events.services import series as series_services
from events.services.hosting import HostError, has_verified_email
from otg.common import topics
from otg.common.markdown import render_markdown


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def series_propose(request: HttpRequest) -> HttpResponse:
    """A member proposes a meetup that recurs; the first date is filled in as any event."""
    verified = has_verified_email(request.user)
    form = SeriesProposeForm(request.POST or None)
    preview = "preview" in request.POST
    if request.method == "POST" and verified and not preview and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                series = series_services.series_propose(
                    event=form.save(commit=False),
                    member=request.user,
                    frequency=data["frequency"],
                    interval=data["interval"],
                    count=data["count"],
                    tags=data["tags"],
                    trusted=is_trusted_host(request),
                )
        except HostError as error:
            form.add_error(None, error.messages[0])
        else:
            if series.status == EventSeries.Status.PUBLISHED:
                messages.success(request, _("Your series is published: every date is open for answers."))
            else:
                messages.success(
                    request,
                    _("Thank you! Your series is sent for review, once for all its dates. We email you."),
                )
            return redirect(series)
    context = {
        "verified": verified,
        "form": form,
        "event": None,
        "preview_html": render_markdown(form.data.get("description", "")) if preview else "",
        # Topics in public use only, as on the propose page: no interest only private profiles carry.
        "tag_choices": topics.in_public_use().order_by("name").values_list("name", flat=True)[:200],
    }
    return render(request, "events/series_propose.html", context)


def _may_see(request: HttpRequest, series: EventSeries) -> bool:
    if series.status == EventSeries.Status.PUBLISHED:
        return True
    user = request.user
    if not user.is_authenticated:
        return False
    if series.status == EventSeries.Status.PENDING and can_moderate(request):
        return True
    return can_host_series(request, series)


@require_safe
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The series and its dates: each links to its own event page, where one answers for that date."""
    series = get_object_or_404(EventSeries, slug=slug)
    if not _may_see(request, series):
        raise Http404
    now = timezone.now()
    dates = list(
        series.dates.exclude(status__in=[Event.Status.DRAFT, Event.Status.DECLINED])
        if series.status != EventSeries.Status.DECLINED
        else series.dates.all()
    )
    # The date "Skicka igen" is about: the first that series_resubmit sends back (declined, still to
    # come), which carries the reviewer's message; not a date cancelled before the review.
    declined = [date for date in dates if date.status == Event.Status.DECLINED]
    to_come = [date for date in declined if date.start > now]
    context = {
        "series": series,
        "first": (to_come or declined or dates or [None])[0],
        "may_resubmit": series.status == EventSeries.Status.DECLINED and can_host_series(request, series),
        "rule": series_services.series_rule_text(series),
        "upcoming": [date for date in dates if date.end >= now],
        "past": [date for date in reversed(dates) if date.end < now],
    }
    return render(request, "events/series_detail.html", context)


@login_required
@require_POST
def series_resubmit(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Skicka igen": a declined series, its text edited on its first date, goes back for review whole."""
    series = get_object_or_404(EventSeries, slug=slug)
    if not can_host_series(request, series):
        refuse(request)
    try:
        series_services.series_resubmit(series=series, member=request.user)
    except HostError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your series is sent for review again, once for all its dates."))
    return redirect(series)
