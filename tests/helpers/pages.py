"""Every page of the portal, found in the demo content, with who is signed in to see it.

A new page joins with one line in PAGES: a name, its path (or a function that finds it in the demo
content) and, when it needs one, who is signed in (a key of USERS). The axe test in
tests/browser/test_accessibility.py and the HTML checker in tests/quality/ both walk it.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from events import demo as events_demo
from events.models import CohostInvite, Event, EventChange, EventSeries, Rsvp
from events.services.follows import follow_create, follow_delete, follow_unsubscribe_token
from events.services.hosting import event_repeat
from events.services.rsvps import rsvp_create
from events.services.series import series_decline, series_propose
from interviews.models import Interview
from members.demo import DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL, DEMO_PRIVATE_EMAIL
from members.models import Member


class Page(NamedTuple):
    name: str
    path: Callable[[], str] | str
    as_user: str | None = None


WEBINAR = "webbinarium-ledarskap-over-granser"
MEETUP = "meetup-goteborg-tjanstedesign"
BREAKFAST = "frukostmote-malmo-oppna-data"
CONFERENCE = "digitala-strategidagarna-offentlig-sektor-2026"
UNCONFERENCE = "unconference-stockholm-forandring-underifran"


def session(title: str) -> str:
    from events.models import Session

    return Session.objects.get(event__slug=UNCONFERENCE, title=title).get_absolute_url()


def url(name: str, **kwargs) -> Callable[[], str]:
    return lambda: reverse(name, kwargs=kwargs or None)


# The pages members host events from: also checked on a phone below.
HOST_PAGES = [
    Page("propose an event", url("events:event-propose"), as_user="member"),
    Page(
        "review queue",
        lambda: pending() and pending_change() and reverse("events:review-list"),
        as_user="admin",
    ),
    Page("decline a proposal", lambda: reverse("events:review-decline", args=[pending()]), as_user="admin"),
    Page("host: edit", url("events:host-edit", slug=WEBINAR), as_user="organiser"),
    Page("host: cancel", url("events:host-cancel", slug=WEBINAR), as_user="organiser"),
    Page("host: check-in", url("events:host-checkin", slug=WEBINAR), as_user="organiser"),
    Page("host: arrange again", url("events:host-repeat", slug=WEBINAR), as_user="organiser"),
    Page("host: co-hosts", url("events:cohost-invite", slug=WEBINAR), as_user="organiser"),
    Page("host: messages", url("events:host-message", slug=WEBINAR), as_user="organiser"),
    Page(
        "host: remove an attendee",
        lambda: reverse(
            "events:attendee-remove",
            args=[WEBINAR, Rsvp.objects.active().filter(event__slug=WEBINAR).first().pk],
        ),
        as_user="organiser",
    ),
    Page(
        "accept a co-host invitation",
        lambda: reverse("events:cohost-accept", args=[invitation()]),
        as_user="member",
    ),
    Page("report an event", url("events:event-report", slug=MEETUP), as_user="attendee"),
    Page("propose a series", url("events:series-propose"), as_user="member"),
    Page("host: edit a date of a series", lambda: _series_date_edit(), as_user="organiser"),
    Page(
        "host: cancel a date of a series",
        lambda: _series_date_edit("events:host-cancel"),
        as_user="organiser",
    ),
    Page("host: a declined series, send it again", lambda: _declined_series(), as_user="organiser"),
    Page("write to the hosts", url("events:host-contact", slug=MEETUP), as_user="attendee"),
    Page("host: schedule", url("events:host-schedule", slug=UNCONFERENCE), as_user="organiser"),
    Page(
        "host: schedule, suggested",
        lambda: reverse("events:host-schedule", args=[UNCONFERENCE]) + "?forslag=1",
        as_user="organiser",
    ),
    Page("propose a session", url("events:session-propose", slug=UNCONFERENCE), as_user="member"),
]

# The unconference board's pages: also checked at 375 and 1280 px, with and without JavaScript.
SESSION_PAGES = [
    Page("unconference", lambda: Event.objects.get(slug=UNCONFERENCE).get_absolute_url()),
    Page("session board", url("events:session-board", slug=UNCONFERENCE)),
    Page("session board as member", url("events:session-board", slug=UNCONFERENCE), as_user="attendee"),
    Page("session", lambda: session("Öppna data mellan myndigheter")),
    Page("session, Chatham House", lambda: session("AI i handläggning: var går gränsen?")),
    Page("session as its proposer", lambda: session("Klarspråk i praktiken"), as_user="attendee"),
    Page("edit a session", lambda: session("Klarspråk i praktiken") + "redigera/", as_user="attendee"),
    Page("my schedule", url("events:my-schedule", slug=UNCONFERENCE), as_user="attendee"),
    Page("now and next", url("events:now-and-next", slug=UNCONFERENCE)),
]

PAGES = [
    Page("home", url("home")),
    Page("about", url("about")),
    Page("accessibility", url("accessibility")),
    Page("privacy", url("privacy")),
    Page("not found", "/finns-inte/"),
    Page("sign in", url("account_login")),
    Page("sign up", url("account_signup")),
    Page("password reset", url("account_reset_password")),
    Page("sign in by code", url("account_request_login_code")),
    Page("email addresses", url("account_email"), as_user="admin"),
    Page("change password", url("account_change_password"), as_user="admin"),
    Page("reauthenticate", url("account_reauthenticate"), as_user="admin"),
    Page("two-factor overview", url("mfa_index"), as_user="admin"),
    Page("check your inbox", url("account_email_verification_sent")),
    Page("sign out", url("account_logout"), as_user="member"),
    Page("activate authenticator app", url("mfa_activate_totp"), as_user="member"),
    Page("sessions", url("usersessions_list"), as_user="member"),
    Page("admin index", url("admin:index"), as_user="admin"),
    Page("interviews", url("interviews:interview-list")),
    Page("interviews by topic", lambda: reverse("interviews:interview-list") + "?amne=klarspr%C3%A5k"),
    Page("interview", url("interviews:interview-detail", slug="adrian-solitander")),
    Page("events", url("events:event-list")),
    Page("past events", url("events:event-past")),
    Page("event", lambda: Event.objects.get(slug="frukostmote-malmo-oppna-data").get_absolute_url()),
    Page("event as member", lambda: Event.objects.get(slug=WEBINAR).get_absolute_url(), as_user="attendee"),
    Page("event RSVP form", lambda: Event.objects.get(slug=MEETUP).get_absolute_url(), as_user="organiser"),
    Page("event, full", lambda: Event.objects.get(slug=BREAKFAST).get_absolute_url(), as_user="attendee"),
    Page("past event", lambda: Event.objects.get(slug=CONFERENCE).get_absolute_url()),
    Page("change an answer", url("events:rsvp-update", slug=WEBINAR), as_user="attendee"),
    Page("cancel an answer", url("events:rsvp-cancel", slug=WEBINAR), as_user="attendee"),
    Page("my events", url("events:my-events"), as_user="attendee"),
    Page("welcome", lambda: reverse("welcome") + "?stad=Malm%C3%B6", as_user="private"),
    Page("event attendees", url("events:organiser-attendees", slug=WEBINAR), as_user="organiser"),
    Page("admin events", url("admin:events_event_changelist"), as_user="admin"),
    Page("admin series", url("admin:events_eventseries_changelist"), as_user="admin"),
    Page(
        "admin series, its dates",
        lambda: reverse("admin:events_eventseries_change", args=[_series().pk]),
        as_user="admin",
    ),
    Page("member directory", url("members:member-list")),
    Page(
        "member directory, filtered",
        lambda: reverse("members:member-list") + f"?q=a&amne={topic('klarspråk')}",
    ),
    Page("public profile", lambda: Member.objects.public().get(email=DEMO_MEMBER_EMAIL).get_absolute_url()),
    Page(
        "own private profile",
        lambda: Member.objects.get(email=DEMO_PRIVATE_EMAIL).get_absolute_url(),
        "private",
    ),
    Page("profile edit", url("members:profile-edit"), as_user="member"),
    Page("your data", url("members:my-data"), as_user="member"),
    Page("delete account", url("members:account-delete"), as_user="member"),
    Page("member admin", url("admin:members_member_changelist"), as_user="admin"),
    Page("admin interviews", url("admin:interviews_interview_changelist"), as_user="admin"),
    Page("admin interview form", url("admin:interviews_interview_add"), as_user="admin"),
    Page(
        "admin interview, saved",
        lambda: reverse(
            "admin:interviews_interview_change", args=[Interview.objects.get(slug="adrian-solitander").pk]
        ),
        as_user="admin",
    ),
    Page("admin interview import", url("admin:interviews_interview_import"), as_user="admin"),
    Page(
        "interview, with the editor's bar",
        url("interviews:interview-detail", slug="adrian-solitander"),
        as_user="admin",
    ),
    Page("search", lambda: reverse("search") + "?q=f%C3%B6r%C3%A4ndring"),
    Page("search by type", lambda: reverse("search") + "?q=f%C3%B6r%C3%A4ndring&typ=evenemang"),
    Page("search without query", url("search")),
    Page("search of stop words", lambda: reverse("search") + "?q=och"),
    Page("topics", url("topic-list")),
    Page("topic", url("topic-detail", slug="klarspråk")),
    Page("home as member", url("home"), as_user="attendee"),
    Page("topic, follow button", url("topic-detail", slug="klarspråk"), as_user="member"),
    Page("events in a city, follow button", lambda: _city_list(), as_user="member"),
    Page("topic, followed", lambda: _followed_topic(), as_user="attendee"),
    Page("follow settings", lambda: _follows(), as_user="attendee"),
    Page("follow settings, empty", url("events:follow-list"), as_user="organiser"),
    Page("profile edit, with follows", lambda: _profile_with_follows(), as_user="attendee"),
    Page("unsubscribe from a mail", lambda: _unsubscribe(), as_user=None),
    Page("unsubscribed", lambda: _unsubscribe(removed=True), as_user=None),
    Page("series", lambda: _series().get_absolute_url()),
    Page("series, follow button", lambda: _series().get_absolute_url(), as_user="member"),
    Page("event, a date of a series", lambda: _series().dates.order_by("start").first().get_absolute_url()),
    Page("event with a maybe answer", lambda: _maybe_answer(), as_user="attendee"),
    *HOST_PAGES,
    *SESSION_PAGES,
]


def _series():
    return EventSeries.objects.get(title=events_demo.BREAKFAST_SERIES_TITLE)


DECLINED_SERIES_TITLE = "Lunchklubben i Malmö"


def _declined_series() -> str:
    """A host's series a reviewer sent back (the demo has none): its page offers to send it again."""
    series = EventSeries.objects.filter(title=DECLINED_SERIES_TITLE).first()
    if series is None:
        start = (timezone.now() + timedelta(days=20)).replace(hour=11, minute=30, second=0, microsecond=0)
        series = series_propose(
            event=Event(
                title=DECLINED_SERIES_TITLE,
                kind=Event.Kind.MEETUP,
                summary="Lunch och samtal varannan vecka.",
                start=start,
                end=start + timedelta(hours=1),
                city="Malmö",
            ),
            member=USERS["organiser"](),
            frequency=EventSeries.Frequency.WEEKLY,
            interval=2,
            count=3,
            trusted=False,
        )
        series_decline(series=series, reviewer=USERS["admin"](), message="Ange en lokal, tack.")
    return series.get_absolute_url()


def _series_date_edit(name: str = "events:host-edit") -> str:
    return reverse(name, args=[_series().dates.order_by("start")[1].slug])


def _maybe_answer() -> str:
    """The demo meetup as a member who answered maybe (the "yes" button and the counts)."""
    meetup = Event.objects.get(slug=MEETUP)
    member = USERS["attendee"]()
    if not Rsvp.objects.active().filter(event=meetup, member=member).exists():
        rsvp_create(event=meetup, member=member, maybe=True)
    return meetup.get_absolute_url()


def _city() -> str:
    return Event.objects.visible().cities()[0]


def _city_list() -> str:
    return reverse("events:event-list") + "?" + urlencode({"city": _city()})


def _attendee_follows() -> list:
    member = USERS["attendee"]()
    return [
        follow_create(member=member, kind="topic", tag_slug=topic("klarspråk")),
        follow_create(member=member, kind="city", city=_city(), frequency="weekly"),
    ]


def _followed_topic() -> str:
    _attendee_follows()
    return reverse("topic-detail", kwargs={"slug": topic("klarspråk")})


def _follows() -> str:
    _attendee_follows()
    return reverse("events:follow-list")


def _profile_with_follows() -> str:
    _attendee_follows()
    return reverse("members:profile-edit")


def _unsubscribe(removed: bool = False) -> str:
    follow = _attendee_follows()[0]
    path = reverse("events:follow-unsubscribe", args=[follow_unsubscribe_token(follow)])
    if removed:
        follow_delete(follow=follow)
    return path


def pending() -> str:
    """A member's proposal waiting for review (the demo has none)."""
    event = Event.objects.filter(status="pending").first()
    if event is None:
        source = Event.objects.get(slug=MEETUP)
        event = event_repeat(
            event=source,
            start=source.start + timedelta(days=30),
            member=Member.objects.get(email=DEMO_MEMBER_EMAIL),
        )
    return event.slug


def pending_change() -> str:
    """A host's change to a published event waiting for review (the demo has none): old against new."""
    event = Event.objects.get(slug=MEETUP)
    EventChange.objects.get_or_create(
        event=event,
        defaults={
            "title": f"{event.title} (ny rubrik)",
            "summary": event.summary,
            "description": f"{event.description}\n\nEtt nytt stycke.",
            "online_url": event.online_url,
        },
    )
    return event.slug


def invitation() -> str:
    return CohostInvite.objects.get_or_create(event=Event.objects.get(slug=WEBINAR), email=DEMO_MEMBER_EMAIL)[
        0
    ].token


def topic(name: str) -> str:
    return Tag.objects.get(name=name).slug


USERS = {
    "admin": lambda: Member.objects.get(email=DEMO_ADMIN_EMAIL),
    "member": lambda: Member.objects.get(email=DEMO_MEMBER_EMAIL),
    "private": lambda: Member.objects.get(email=DEMO_PRIVATE_EMAIL),
    "attendee": lambda: Member.objects.get(email=events_demo.MEMBER_EMAIL),
    "organiser": lambda: Member.objects.get(email=events_demo.ORGANISER_EMAIL),
}
