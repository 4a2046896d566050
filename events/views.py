from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from events import services
from events.calendars import event_calendar, events_calendar, public_calendar
from events.forms import EventFilterForm, FollowForm, RsvpForm
from events.models import CalendarToken, Event, Follow, Rsvp
from members.models import Member
from otg.common.caching import (
    FRAGMENT_TIMEOUT,
    CachedCountPaginator,
    fragment_key,
    generations,
    page_number,
)
from otg.common.pages import AnonymousPage
from otg.common.spreadsheet import csv_writer, write_row, xlsx_bytes
from otg.common.topics import public_tag

PAGE_SIZE = 12


def _list_page(request: HttpRequest, queryset, *, name: str, template: str, filters: bool) -> HttpResponse:
    # The filter form and the cards are rendered once per generation of events and tags, filter and
    # page (otg.common.caching); the count, the cities and the page's rows load only on a miss.
    version = generations("events", "tags")
    # A visitor who is not signed in, without filters, gets the page as every such visitor does
    # (otg.common.pages).
    page = AnonymousPage(request, name, version)
    if (kept := page.kept()) is not None:
        return kept
    form = None
    chosen = {}
    timeout = FRAGMENT_TIMEOUT
    followable_city = ""
    if filters:
        form = EventFilterForm(request.GET or None, cities=queryset.cities)
        if form.is_valid():
            chosen = {key: value for key, value in form.cleaned_data.items() if value}
            if kind := chosen.get("kind"):
                queryset = queryset.filter(kind=kind)
            if city := chosen.get("city"):
                queryset = queryset.filter(city=city)
                followable_city = city
            if slug := chosen.get("amne"):
                # A tag in public use only (otg.common.topics), like every filter by tag.
                tag = public_tag(slug)
                queryset = queryset.filter(tags=tag) if tag else queryset.none()
        elif form.is_bound:
            # A form with errors shows what was typed: rendered for this request only, never kept.
            chosen, timeout = {"invalid": "1"}, 0
    number = page_number(request.GET.get("sida"))
    filter_key = urlencode(sorted(chosen.items()))
    paginator = CachedCountPaginator(
        queryset, PAGE_SIZE, key=fragment_key(name, version, filter_key, get_language())
    )
    rows = SimpleLazyObject(lambda: paginator.get_page(number))
    return page.render(
        template,
        {
            "page": rows,
            "events": SimpleLazyObject(lambda: rows.object_list),
            "form": form,
            "query": "" if "invalid" in chosen else filter_key,
            "version": version,
            "filter_key": filter_key,
            "page_number": number,
            "fragment_timeout": timeout,
            "followable_city": followable_city,
        },
    )


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    return _list_page(
        request, Event.objects.upcoming(), name="event-list", template="events/event_list.html", filters=True
    )


@require_safe
def event_past(request: HttpRequest) -> HttpResponse:
    return _list_page(
        request, Event.objects.past(), name="event-past", template="events/event_past.html", filters=False
    )


def _can_manage(user, event: Event) -> bool:
    return user.is_authenticated and (user.is_staff or event.organisers.filter(pk=user.pk).exists())


def _visible_event(request: HttpRequest, slug: str) -> Event:
    """The event if anyone may see it (Event.objects.visible()), or a draft for those who manage it."""
    event = Event.objects.visible().filter(slug=slug).first()
    if event is None:
        event = get_object_or_404(Event, slug=slug)
        if not _can_manage(request.user, event):
            raise Http404
    return event


class _Attendees:
    """Who is coming, read only when the attendee list is rendered (it is cached per version)."""

    def __init__(self, event: Event):
        self.event = event

    @cached_property
    def named(self) -> list:
        return list(
            Member.objects.public().filter(
                rsvps__event=self.event, rsvps__status=Rsvp.Status.GOING, rsvps__show_publicly=True
            )
        )

    @property
    def unnamed_count(self) -> int:
        return max(self.event.going_count - len(self.named), 0)


def rsvp_state(event: Event, my_rsvp: Rsvp | None, user, now) -> str:
    """Which one action the event page offers, for who is looking and when.

    One of: cancelled, past, started, going, waitlisted, closed, visitor, member (places left) or
    member-full (the waitlist). The event's own time and status come first: nobody answers for an event
    that is cancelled, over or under way.
    """
    if event.is_cancelled:
        return "cancelled"
    if event.end < now:
        return "past"
    if event.start <= now:
        return "started"
    if my_rsvp is not None:
        return "going" if my_rsvp.status == Rsvp.Status.GOING else "waitlisted"
    if event.rsvp_closed_reason(now):
        return "closed"
    if not user.is_authenticated:
        return "visitor"
    return "member-full" if event.is_full else "member"


def _my_rsvp(request: HttpRequest, event: Event) -> Rsvp | None:
    if not request.user.is_authenticated:
        return None
    return Rsvp.objects.active().filter(event=event, member=request.user).with_waitlist_position().first()


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The event's facts and its attendee list name members and tags: cached per their generations
    # (no clock: what time changes on the page is in the attendee list's key and in ``until`` below).
    # Read before the event, so that whatever is kept under them was read after them.
    version = generations("events", "members", "tags", clocks=False)
    # A visitor who is not signed in gets the page as every such visitor does (otg.common.pages).
    page = AnonymousPage(request, "event-page", slug, version)
    if (kept := page.kept()) is not None:
        return kept
    event = _visible_event(request, slug)
    now = timezone.now()
    my_rsvp = _my_rsvp(request, event)
    state = rsvp_state(event, my_rsvp, request.user, now)
    show_online_link = bool(
        event.online_url
        and my_rsvp
        and my_rsvp.status == Rsvp.Status.GOING
        and not event.is_cancelled
        and now >= event.start - settings.EVENT_ONLINE_LINK_LEAD
        and now <= event.end
    )
    context = {
        "event": event,
        # Lazy: read only when the fragments that show them are rendered (templates/events/event_detail.html).
        "tags": SimpleLazyObject(lambda: list(event.tags.all())),
        "organisers": SimpleLazyObject(lambda: list(event.organisers.all())),
        "attendees": _Attendees(event),
        "my_rsvp": my_rsvp,
        "state": state,
        # An event that is over or cancelled offers no places and no calendar entry.
        "show_places": state not in ("past", "cancelled") and event.capacity is not None,
        "show_calendar": state not in ("past", "cancelled"),
        "closed_reason": event.rsvp_closed_reason(now),
        "form": RsvpForm(),
        "show_online_link": show_online_link,
        "can_manage": _can_manage(request.user, event),
        "is_past": event.end < now,
        "version": version,
        "fragment_timeout": FRAGMENT_TIMEOUT,
    }
    return page.render("events/event_detail.html", context, until=lambda: _changes_by_itself(event, now))


def _changes_by_itself(event: Event, now) -> datetime | None:
    """The next moment at which time alone changes the event page of a visitor (rsvp_state): RSVP
    opens or closes, the event starts, the event is over (just after its end)."""
    moments = (event.rsvp_opens_at, event.rsvp_closes_at, event.start, event.end + timedelta(microseconds=1))
    return min((moment for moment in moments if moment is not None and moment > now), default=None)


@login_required
@require_POST
def rsvp_create(request: HttpRequest, slug: str) -> HttpResponse:
    page = reverse("events:event-detail", args=[slug])
    form = RsvpForm(request.POST)
    if not form.is_valid():
        get_object_or_404(Event.objects.visible(), slug=slug)  # no message for a page that is not there
        messages.error(request, _("Please check your answer: the needs fields can hold 1,000 characters."))
        return redirect(page)
    # By slug: the service reads the event once, as it locks it.
    try:
        rsvp = services.rsvp_create(slug=slug, member=request.user, **form.cleaned_data)
    except Event.DoesNotExist as error:
        raise Http404 from error
    except services.RsvpError as error:
        if error.code == "unpublished":  # a draft is not there for anyone answering
            raise Http404 from error
        messages.error(request, error.messages[0])
        return redirect(page)
    if rsvp.status == Rsvp.Status.GOING:
        messages.success(request, _("You're going! A confirmation is on its way to your inbox."))
    else:
        messages.success(request, _("The event is full: you are on the waitlist."))
    return redirect(page)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_update(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the needs and public visibility of a standing answer, without giving up the place."""
    event = _visible_event(request, slug)
    rsvp = _my_rsvp(request, event)
    if rsvp is None or event.end < timezone.now():
        messages.error(request, _("You have no answer to change for this event."))
        return redirect(event)
    form = RsvpForm(request.POST or None, instance=rsvp)
    if request.method == "POST" and form.is_valid():
        try:
            services.rsvp_update(rsvp=rsvp, **form.cleaned_data)
        except services.RsvpError as error:
            messages.error(request, error.messages[0])
            return redirect(event)
        messages.success(request, _("Your answer is saved."))
        return redirect(event)
    return render(request, "events/rsvp_update.html", {"event": event, "rsvp": rsvp, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    """GET asks for confirmation on a page of its own; POST cancels."""
    event = _visible_event(request, slug)
    rsvp = _my_rsvp(request, event)
    if rsvp is None:
        messages.error(request, _("You have no answer to cancel for this event."))
        return redirect(event)
    from_my_events = request.POST.get("next", request.GET.get("next")) == "mina"
    if request.method != "POST":
        return render(
            request,
            "events/rsvp_cancel.html",
            {"event": event, "rsvp": rsvp, "from_my_events": from_my_events},
        )
    try:
        services.rsvp_cancel(rsvp=rsvp)
    except services.RsvpError as error:
        messages.error(request, error.messages[0])
        return redirect(event)
    messages.success(request, _("Your answer is cancelled."))
    if from_my_events:
        return redirect("events:my-events")
    return redirect(event)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    return _ics_response(event_calendar(event), f"{event.slug}.ics")


@require_safe
@gzip_page
def public_feed(request: HttpRequest) -> HttpResponse:
    return _ics_response(public_calendar(), "evenemang.ics")


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
        .order_by("start")
        .distinct()
    )
    name = _("My events at One Team Gov Sverige")
    return _ics_response(events_calendar(events, name=name), "mina-evenemang.ics")


@login_required
@require_safe
def my_events(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rsvps = (
        Rsvp.objects.filter(member=request.user)
        .exclude(status=Rsvp.Status.CANCELLED)
        .select_related("event")
        .with_waitlist_position()
        .order_by("event__start")
    )
    upcoming = [r for r in rsvps if r.event.end >= now]
    token = services.calendar_token_get(member=request.user)
    private_feed_url = request.build_absolute_uri(token.get_absolute_url())
    context = {
        "going": [r for r in upcoming if r.status == Rsvp.Status.GOING],
        "waitlisted": [r for r in upcoming if r.status == Rsvp.Status.WAITLISTED],
        "past": sorted((r for r in rsvps if r.event.end < now), key=lambda r: r.event.start, reverse=True),
        "private_feed_url": private_feed_url,
        # webcal: opens the member's calendar app straight at "subscribe" (Apple, Outlook, most phones).
        "private_feed_webcal": "webcal://" + private_feed_url.split("://", 1)[1],
        "public_feed_url": request.build_absolute_uri(reverse("events:public-feed")),
    }
    return render(request, "events/my_events.html", context)


@login_required
@require_POST
def calendar_token_rotate(request: HttpRequest) -> HttpResponse:
    services.calendar_token_rotate(member=request.user)
    messages.success(request, _("Your private calendar link is replaced. The old link no longer works."))
    return redirect("events:my-events")


def _managed_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not _can_manage(request.user, event):
        raise Http404
    return event


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
    event = _managed_event(request, slug)
    rsvps = list(_attendees(event))
    context = {
        "event": event,
        "going": [r for r in rsvps if r.status == Rsvp.Status.GOING],
        "waitlisted": [r for r in rsvps if r.status == Rsvp.Status.WAITLISTED],
    }
    return render(request, "events/organiser_attendees.html", context)


def _attendee_rows(events):
    """A header and one row per attendee of the given events, for the CSV and the .xlsx export."""
    yield [
        _("Event"),
        _("Name"),
        _("Email"),
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
            rsvp.member.email,
            rsvp.get_status_display(),
            rsvp.accessibility_needs,
            rsvp.dietary_needs,
            timezone.localtime(rsvp.created_at).strftime("%Y-%m-%d %H:%M"),
        ]


def attendees_csv_response(events) -> HttpResponse:
    """Attendees of the given events as CSV (shared by the organiser page and the admin action).

    Every cell goes through otg.common.spreadsheet: none can be read as a formula, whatever separator
    the spreadsheet splits on.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="deltagare.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly only with a BOM.
    writer = csv_writer(response)
    for row in _attendee_rows(events):
        write_row(writer, row)
    return response


@login_required
@require_safe
def organiser_attendees_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event(request, slug)
    return attendees_csv_response(Event.objects.filter(pk=event.pk))


@login_required
@require_safe
def organiser_attendees_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    """The same list as an Excel workbook: typed cells, so no separator or formula question arises."""
    event = _managed_event(request, slug)
    content = xlsx_bytes(_attendee_rows(Event.objects.filter(pk=event.pk)), title=_("Attendees"))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="deltagare.xlsx"'
    return response


# --- Follows ------------------------------------------------------------------------------------


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the follow button was on, or to the follow settings."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("events:follow-list")


@login_required
@require_safe
def follow_list(request: HttpRequest) -> HttpResponse:
    follows = Follow.objects.filter(member=request.user).select_related("tag").order_by("kind", "city", "pk")
    return render(
        request, "events/follow_list.html", {"follows": follows, "frequencies": Follow.Frequency.choices}
    )


@login_required
@require_POST
def follow_create(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a topic or a city to follow, and how often to hear about it."))
        return _back(request)
    data = form.cleaned_data
    try:
        follow = services.follow_create(
            member=request.user,
            kind=data["kind"],
            tag_slug=data["tag"],
            city=data["city"],
            frequency=data["frequency"],
        )
    except services.FollowError as error:
        messages.error(request, error.messages[0])
        return _back(request)
    messages.success(
        request,
        _("You follow %(target)s: %(frequency)s.")
        % {"target": follow.target, "frequency": follow.get_frequency_display().lower()},
    )
    return _back(request)


@login_required
@require_POST
def follow_delete(request: HttpRequest, pk: int) -> HttpResponse:
    follow = get_object_or_404(Follow.objects.select_related("tag"), pk=pk, member=request.user)
    target = follow.target
    services.follow_delete(follow=follow)
    messages.success(request, _("You no longer follow %(target)s.") % {"target": target})
    return _back(request)


# RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" here without cookies, so no CSRF token; the
# signed key in the path is the only permission, and it opens one follow only.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def follow_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        follow = services.follow_from_token(token)
    except signing.BadSignature as error:
        raise Http404 from error
    if request.method == "POST":
        if follow is not None:
            services.follow_delete(follow=follow)
        return render(request, "events/follow_unsubscribed.html", {})
    if follow is None:  # removed already (a second click): nothing is sent for it any more
        return render(request, "events/follow_unsubscribed.html", {})
    return render(request, "events/follow_unsubscribe.html", {"follow": follow})
