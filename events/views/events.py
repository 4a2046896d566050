"""The public event pages: the upcoming and past lists, an event's page, and a member's own events."""

from datetime import datetime, timedelta
from functools import cached_property

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from events import permissions
from events.forms import (
    EventFilterForm,
    RsvpForm,
)
from events.models import Event, Rsvp
from events.permissions import can_host, can_moderate
from events.services.exports import calendar_token_get
from events.services.schedule import published_schedule
from events.views.common import member_rsvp, visible_event
from members.models import Member
from otg.common.caching import (
    FRAGMENT_TIMEOUT,
    CachedCountPaginator,
    fragment_key,
    page_number,
)
from otg.common.pages import kept_page
from otg.common.topics import public_tag

PAGE_SIZE = 12


def _list_page(
    request: HttpRequest, queryset, *, page, version: str, name: str, template: str, filters: bool
) -> HttpResponse:
    # The filter form and the cards are rendered once per generation of events and tags, filter and
    # page (otg.common.caching); the count, the cities and the page's rows load only on a miss.
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


# A visitor who is not signed in, without filters, gets the page as every such visitor does.
@require_safe
@kept_page("event-list", "events", "tags")
def event_list(request: HttpRequest, *, page, version: str) -> HttpResponse:
    return _list_page(
        request,
        Event.objects.upcoming(),
        page=page,
        version=version,
        name="event-list",
        template="events/event_list.html",
        filters=True,
    )


@require_safe
@kept_page("event-past", "events", "tags")
def event_past(request: HttpRequest, *, page, version: str) -> HttpResponse:
    return _list_page(
        request,
        Event.objects.past(),
        page=page,
        version=version,
        name="event-past",
        template="events/event_past.html",
        filters=False,
    )


class _Attendees:
    """Who is coming, read only when the attendee list is rendered (it is cached per version)."""

    def __init__(self, event: Event):
        self.event = event

    @cached_property
    def named(self) -> list:
        # Only what the list shows, (pk, name) for a name and a link: a member's row is wide (bio,
        # portrait files, settings), and the list may name hundreds (no model instance for each).
        return list(
            Member.objects.public()
            .filter(rsvps__event=self.event, rsvps__status=Rsvp.Status.GOING, rsvps__show_publicly=True)
            .values_list("pk", "name")
        )

    @property
    def unnamed_count(self) -> int:
        return max(self.event.going_count - len(self.named), 0)


def rsvp_state(event: Event, my_rsvp: Rsvp | None, user, now) -> str:
    """Which one action the event page offers, for who is looking and when.

    One of: cancelled, past, started, going, waitlisted, maybe, closed, visitor, member (places left) or
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
        return {Rsvp.Status.GOING: "going", Rsvp.Status.MAYBE: "maybe"}.get(my_rsvp.status, "waitlisted")
    if event.rsvp_closed_reason(now):
        return "closed"
    if not user.is_authenticated:
        return "visitor"
    return "member-full" if event.is_full else "member"


# The event's facts and its attendee list name members and tags: cached per their generations (no
# clock: what time changes on the page is in the attendee list's key and in ``until`` below).
@require_safe
@kept_page("event-page", "events", "members", "tags", "sessions", clocks=False)
def event_detail(request: HttpRequest, slug: str, *, page, version: str) -> HttpResponse:
    event = visible_event(request, slug)
    now = timezone.now()
    my_rsvp = member_rsvp(request, event)
    state = rsvp_state(event, my_rsvp, request.user, now)
    show_online_link = bool(my_rsvp and my_rsvp.status == Rsvp.Status.GOING and event.online_link_open(now))
    can_manage = can_host(request, event)
    # Whether they run it as one of its hosts, or only with a staff power: the box says which.
    is_host = can_manage and permissions.is_host(request, event)
    context = {
        "event": event,
        # Its address, reversed once for the structured data and both calendar links.
        "event_path": event.get_absolute_url(),
        # Lazy: read only when the fragments that show them are rendered (templates/events/event_detail.html);
        # of a member, only the name and the link the page shows.
        "tags": SimpleLazyObject(lambda: list(event.tags.all())),
        "organisers": SimpleLazyObject(
            lambda: list(event.organisers.with_public_profile().only("pk", "name"))
        ),
        "attendees": _Attendees(event),
        # An unconference's published schedule, read only when its fragment is rendered.
        "session_schedule": SimpleLazyObject(lambda: published_schedule(event)),
        "my_rsvp": my_rsvp,
        "state": state,
        # An event that is over or cancelled offers no places and no calendar entry.
        "show_places": state not in ("past", "cancelled") and event.capacity is not None,
        "show_calendar": state not in ("past", "cancelled"),
        "closed_reason": event.rsvp_closed_reason(now),
        # Built only where the page offers it (a signed-in member who may still answer).
        "form": SimpleLazyObject(RsvpForm),
        "show_online_link": show_online_link,
        "can_manage": can_manage,
        "is_host": is_host,
        "can_review": event.status == Event.Status.PENDING and can_moderate(request),
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
    token = calendar_token_get(member=request.user)
    private_feed_url = request.build_absolute_uri(token.get_absolute_url())
    context = {
        "going": [r for r in upcoming if r.status == Rsvp.Status.GOING],
        # The link to join an online or hybrid event, shortly before it starts (as on its page).
        "join_online": [
            r.event for r in upcoming if r.status == Rsvp.Status.GOING and r.event.online_link_open(now)
        ],
        "waitlisted": [r for r in upcoming if r.status == Rsvp.Status.WAITLISTED],
        "maybe": [r for r in upcoming if r.status == Rsvp.Status.MAYBE],
        "past": sorted((r for r in rsvps if r.event.end < now), key=lambda r: r.event.start, reverse=True),
        "private_feed_url": private_feed_url,
        # webcal: opens the member's calendar app straight at "subscribe" (Apple, Outlook, most phones).
        "private_feed_webcal": "webcal://" + private_feed_url.split("://", 1)[1],
        "public_feed_url": request.build_absolute_uri(reverse("events:public-feed")),
    }
    return render(request, "events/my_events.html", context)
