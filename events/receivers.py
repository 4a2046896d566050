"""How events take part in a member's account deletion and data export (members.signals), in the
topic pages (otg.common.topics) and in the generations of cached pages (otg.common.caching)."""

from events.models import Event, EventSeries, Placement, Room, Rsvp, Schedule, Session, SessionInterest, Slot
from events.services.exports import (
    follows_export_for_member,
    follows_remove_for_member,
    hosting_export_for_member,
    hosting_remove_for_member,
    rsvps_export_for_member,
    rsvps_remove_for_member,
)
from events.services.sessions import session_interests_remove_for_member, sessions_export_for_member
from events.views.follows import follow_settings
from otg.common import caching, topics


def remove_rsvps(sender, *, member, **kwargs) -> None:
    rsvps_remove_for_member(member=member)


def export_rsvps(sender, *, member, **kwargs) -> tuple[str, list[dict]]:
    return ("event_rsvps", rsvps_export_for_member(member=member))


def connect_generations() -> None:
    # Every save and delete of an event, an RSVP or an event's organisers bumps "events"; RSVP fields
    # that only organisers see (needs, reminders) do not.
    caching.bump_on_write(Event, "events")
    caching.bump_on_write(EventSeries, "events")  # its title and link are on each date's page
    caching.bump_on_write(
        Rsvp,
        "events",
        ignore_fields=[
            "accessibility_needs",
            "dietary_needs",
            "needs_erased_at",
            "reminder_sent_at",
            "maybe_invited_at",
            "arrived_at",  # check-in at the door: shown to hosts only, never cached
        ],
    )
    caching.bump_on_m2m(Event.organisers.through, "events")
    # The unconference board: what its pages and the event page's schedule show.
    for model in (Session, SessionInterest, Room, Slot, Placement, Schedule):
        caching.bump_on_write(model, "sessions")
    caching.bump_on_m2m(Session.co_proposers.through, "sessions")
    # An event that ends leaves the upcoming lists, the calendar feed and the topics by itself.
    caching.register_clock("events", lambda now: Event.objects.upcoming(now), "end", after=True)
    topics.register("event", Event, lambda: Event.objects.upcoming())


def remove_follows(sender, *, member, **kwargs) -> None:
    follows_remove_for_member(member=member)


def export_follows(sender, *, member, **kwargs) -> tuple[str, dict]:
    return ("event_follows", follows_export_for_member(member=member))


def profile_follows(sender, *, member, **kwargs) -> tuple[str, dict]:
    return ("events/includes/_follow_settings.html", follow_settings(member=member, on_profile=True))


def remove_hosting(sender, *, member, **kwargs) -> None:
    hosting_remove_for_member(member=member)


def export_hosting(sender, *, member, **kwargs) -> tuple[str, dict]:
    return ("event_hosting", hosting_export_for_member(member=member))


def remove_session_interests(sender, *, member, **kwargs) -> None:
    session_interests_remove_for_member(member=member)


def export_sessions(sender, *, member, **kwargs) -> tuple[str, dict]:
    return ("event_sessions", sessions_export_for_member(member=member))
