from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
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
from taggit.models import Tag

from events import services
from events.calendars import event_calendar, events_calendar, public_calendar
from events.forms import (
    CancelForm,
    CohostInviteForm,
    DeclineForm,
    EventFilterForm,
    EventHostForm,
    EventMessageForm,
    FollowForm,
    RemoveForm,
    RepeatForm,
    ReportForm,
    RsvpForm,
)
from events.models import CalendarToken, CohostInvite, Event, Follow, Rsvp
from members.models import Member
from otg.common.caching import (
    FRAGMENT_TIMEOUT,
    CachedCountPaginator,
    fragment_key,
    generations,
    page_number,
)
from otg.common.markdown import render_markdown
from otg.common.pages import AnonymousPage
from otg.common.spreadsheet import csv_writer, write_row, xlsx_bytes
from otg.common.topics import in_public_use, public_tag

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
        cities = queryset.cities  # of every upcoming event, whatever is chosen
        form = EventFilterForm(request.GET or None, cities=cities)
        if form.is_valid():
            chosen = {key: value for key, value in form.cleaned_data.items() if value}
            if kind := chosen.get("kind"):
                queryset = queryset.filter(kind=kind)
            if city := chosen.get("city"):
                queryset = queryset.filter(city=city)
                followable_city = city
            if slug := chosen.get("amne"):
                # A tag in public use only (otg.common.topics), like every filter by tag.
                if tag := public_tag(slug):
                    queryset = queryset.filter(tags=tag)
                else:
                    # Nothing public carries it: one cached copy for every such slug, and the form
                    # in that copy repeats none of them.
                    queryset = queryset.none()
                    chosen["amne"] = "-"
                    form = EventFilterForm({**request.GET.dict(), "amne": ""}, cities=cities)
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
            "page_params": chosen,
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
    return services.can_host(user, event)


def _visible_event(request: HttpRequest, slug: str) -> Event:
    """The event if anyone may see it (Event.objects.visible()), or a draft or proposal for those who
    host it, and a proposal waiting for review for those who review."""
    event = Event.objects.visible().filter(slug=slug).first()
    if event is None:
        event = get_object_or_404(Event, slug=slug)
        reviewing = event.status == Event.Status.PENDING and services.can_moderate(request.user)
        if not (reviewing or _can_manage(request.user, event)):
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
        "organisers": SimpleLazyObject(lambda: list(event.organisers.with_public_profile())),
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
        "can_review": event.status == Event.Status.PENDING and services.can_moderate(request.user),
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


def follow_settings(*, member, on_profile: bool = False) -> dict:
    """What the follow settings show, on their own page and on the profile: the member's follows, and
    what there is to follow (topics in public use, cities that events take place in)."""
    return {
        "follows": Follow.objects.filter(member=member).select_related("tag").order_by("kind", "city", "pk"),
        "frequencies": Follow.Frequency.choices,
        "topics": in_public_use().order_by("name"),
        "cities": Event.objects.visible().cities(),
        "on_profile": on_profile,
    }


@login_required
@require_safe
def follow_list(request: HttpRequest) -> HttpResponse:
    return render(request, "events/follow_list.html", {"section": follow_settings(member=request.user)})


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


# --- Members host events: propose, review, host tools, reports -------------------------------------


def _host_event(request: HttpRequest, slug: str) -> Event:
    """An event the signed-in member hosts (or co-hosts), or any event for staff; 404 for anyone else."""
    event = get_object_or_404(Event, slug=slug)
    if not services.can_host(request.user, event):
        raise Http404
    return event


def _moderator_only(request: HttpRequest) -> None:
    if not services.can_moderate(request.user):
        raise Http404


def _render_event_form(request, *, form, event, template: str, preview: bool, verified: bool = True):
    context = {
        "verified": verified,
        "form": form,
        "event": event,
        "preview_html": render_markdown(form.data.get("description", "")) if preview else "",
        "tag_choices": Tag.objects.order_by("name").values_list("name", flat=True)[:200],
    }
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_propose(request: HttpRequest) -> HttpResponse:
    """A member proposes an event; "Preview" shows the description as it will look, without JS."""
    verified = services.has_verified_email(request.user)
    form = EventHostForm(request.POST or None, request.FILES or None)
    preview = "preview" in request.POST
    if request.method == "POST" and verified and not preview and form.is_valid():
        event = form.save(commit=False)
        try:
            with transaction.atomic():
                event = services.event_propose(
                    event=event, member=request.user, tags=form.cleaned_data["tags"]
                )
                if form.cover_upload is not None:  # the one route to storage, as in the admin
                    services.event_cover_set(
                        event=event, upload=form.cover_upload, alt=form.cleaned_data["cover_alt"]
                    )
        except services.HostError as error:
            form.add_error(None, error.messages[0])
        else:
            if event.status == Event.Status.PUBLISHED:
                messages.success(request, _("Your event is published."))
            else:
                messages.success(
                    request,
                    _("Thank you! Your proposal is sent for review. We email you when it has been read."),
                )
            return redirect("events:host-edit", slug=event.slug)
    return _render_event_form(
        request,
        form=form,
        event=None,
        template="events/event_propose.html",
        preview=preview,
        verified=verified,
    )


@login_required
@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    _moderator_only(request)
    events = Event.objects.awaiting_review().select_related("proposed_by").prefetch_related("organisers")
    return render(request, "events/review_list.html", {"events": events, "decline_form": DeclineForm()})


@login_required
@require_POST
def review_approve(request: HttpRequest, slug: str) -> HttpResponse:
    _moderator_only(request)
    event = get_object_or_404(Event, slug=slug)
    try:
        services.event_approve(event=event, reviewer=request.user)
    except services.HostError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The event is published and its host is told."))
    return redirect("events:review-list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_decline(request: HttpRequest, slug: str) -> HttpResponse:
    _moderator_only(request)
    event = get_object_or_404(Event, slug=slug)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_decline(event=event, reviewer=request.user, message=form.cleaned_data["message"])
        except services.HostError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The proposal is declined and its host has your message."))
        return redirect("events:review-list")
    return render(request, "events/review_decline.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The host's page: edit the event (attendees are told of a new time or place), or, for a declined
    proposal, edit it and send it again."""
    event = _host_event(request, slug)
    before = Event.objects.get(pk=event.pk)
    form = EventHostForm(request.POST or None, request.FILES or None, instance=event)
    preview = "preview" in request.POST
    if request.method == "POST" and not preview:
        saved = None
        try:
            # One transaction: the form's clean() takes the event's lock (services.event_edit_lock), so
            # what it checked still holds when event_save runs, as in the admin.
            with transaction.atomic():
                if form.is_valid():
                    changed = set(form.changed_data)
                    if before.format != event.format:
                        changed.add("format")
                    if form.cover_cleared:  # first, while the row still names the file to remove
                        services.event_cover_clear(event=event)
                    saved = services.event_save(event=form.save(commit=False), changed_fields=changed)
                    saved.tags.set(form.cleaned_data["tags"])
                    if form.cover_upload is not None:
                        services.event_cover_set(
                            event=saved, upload=form.cover_upload, alt=form.cleaned_data["cover_alt"]
                        )
                    if "resubmit" in request.POST and saved.status == Event.Status.DECLINED:
                        services.event_resubmit(event=saved, member=request.user)
                        messages.success(request, _("Your proposal is sent for review again."))
                    else:
                        messages.success(request, _("The event is saved."))
        except (services.RsvpError, services.HostError) as error:
            messages.error(request, error.messages[0])
            return redirect("events:host-edit", slug=before.slug)
        if saved is not None:
            return redirect("events:host-edit", slug=saved.slug)
    return _render_event_form(
        request, form=form, event=before, template="events/host_edit.html", preview=preview
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = _host_event(request, slug)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.event_cancel(event=event, message=form.cleaned_data["message"])
        messages.success(request, _("The event is cancelled. Everyone going or waiting is told by email."))
        return redirect(event)
    return render(request, "events/host_cancel.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_checkin(request: HttpRequest, slug: str) -> HttpResponse:
    """The door: search by name, one tap per person, arrived against going. Plain forms, no JS."""
    event = _host_event(request, slug)
    query = request.GET.get("q", "").strip()[:100].replace("\x00", "")
    if request.method == "POST":
        rsvp = Rsvp.objects.filter(event=event, pk=_int(request.POST.get("rsvp"))).first()
        if rsvp is None:
            raise Http404
        try:
            rsvp = services.rsvp_check_in(rsvp=rsvp, arrived=request.POST.get("arrived") != "0")
        except services.HostError as error:
            messages.error(request, error.messages[0])
        else:
            name = rsvp.member.name if rsvp.member else ""
            if rsvp.arrived_at:
                messages.success(request, _("%(name)s has arrived.") % {"name": name})
            else:
                messages.success(request, _("%(name)s is no longer marked as arrived.") % {"name": name})
        url = reverse("events:host-checkin", args=[event.slug])
        return redirect(f"{url}?q={query}" if query else url)
    going = Rsvp.objects.going().filter(event=event, member__isnull=False).select_related("member")
    arrived = going.filter(arrived_at__isnull=False).count()
    shown = going.filter(member__name__icontains=query) if query else going
    context = {
        "event": event,
        "rsvps": shown.order_by("member__name", "pk"),
        "query": query,
        "arrived": arrived,
        "going": event.going_count,
    }
    return render(request, "events/host_checkin.html", context)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_repeat(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Arrangera igen": the same event on a new date, in one step."""
    event = _host_event(request, slug)
    form = RepeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["start"] <= timezone.now():
            form.add_error("start", _("Choose a time in the future."))
        else:
            try:
                copy = services.event_repeat(
                    event=event, start=form.cleaned_data["start"], member=request.user
                )
            except services.HostError as error:
                form.add_error(None, error.messages[0])
                return render(request, "events/host_repeat.html", {"event": event, "form": form})
            if copy.status == Event.Status.PUBLISHED:
                messages.success(request, _("The new event is published."))
            else:
                messages.success(request, _("The new event is sent for review."))
            return redirect("events:host-edit", slug=copy.slug)
    return render(request, "events/host_repeat.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohost_invite(request: HttpRequest, slug: str) -> HttpResponse:
    event = _host_event(request, slug)
    form = CohostInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohost_invite(event=event, email=form.cleaned_data["email"], invited_by=request.user)
        except services.HostError as error:
            form.add_error("email", error.messages[0])
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect("events:cohost-invite", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "hosts": event.organisers.all(),
        "invites": event.cohost_invites.filter(accepted_at__isnull=True),
    }
    return render(request, "events/cohost_invite.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohost_accept(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what accepting means; POST accepts (a link in a mail must not change anything by itself)."""
    invite = get_object_or_404(
        CohostInvite.objects.select_related("event"), token=token, accepted_at__isnull=True
    )
    if request.method == "POST":
        try:
            event = services.cohost_accept(token=token, member=request.user)
        except services.HostError as error:
            messages.error(request, error.messages[0])
            return redirect("events:event-list")
        messages.success(request, _("You are now a host of this event."))
        return redirect("events:host-edit", slug=event.slug)
    return render(request, "events/cohost_accept.html", {"invite": invite, "event": invite.event})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_message(request: HttpRequest, slug: str) -> HttpResponse:
    event = _host_event(request, slug)
    form = EventMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.event_message_send(event=event, author=request.user, **form.cleaned_data)
        except services.HostError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request, _("The message is on its way to %(count)s people.") % {"count": sent.recipients}
            )
            return redirect("events:host-message", slug=event.slug)
    log = event.messages.select_related("author")
    return render(
        request,
        "events/host_message.html",
        {"event": event, "form": form, "log": log, "limit": settings.EVENT_MESSAGES_PER_DAY},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendee_remove(request: HttpRequest, slug: str, rsvp_id: int) -> HttpResponse:
    event = _host_event(request, slug)
    rsvp = get_object_or_404(Rsvp.objects.active().select_related("member"), event=event, pk=rsvp_id)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rsvp_remove(rsvp=rsvp, reason=form.cleaned_data["reason"])
        except services.HostError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("The person is removed and told by email; the place goes to the waitlist.")
            )
        return redirect("events:organiser-attendees", slug=event.slug)
    return render(request, "events/attendee_remove.html", {"event": event, "rsvp": rsvp, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_report(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.visible(), slug=slug)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_report(event=event, reporter=request.user, reason=form.cleaned_data["reason"])
        except services.HostError as error:
            form.add_error("reason", error.messages[0])
        else:
            messages.success(request, _("Thank you. Staff will look at your report."))
            return redirect(event)
    return render(request, "events/event_report.html", {"event": event, "form": form})
