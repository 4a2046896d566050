"""A member's data from events: what the export gives them and what deletion takes, and their feed key.

members.signals asks each app for its part (events.receivers connects these).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.models import (
    CalendarToken,
    CohostInvite,
    Event,
    EventMessage,
    EventReport,
    Follow,
    FollowNotification,
    Rsvp,
    _new_token,
)
from events.services.mail import site_url
from events.services.rsvps import rsvp_cancel


@transaction.atomic
def rsvps_remove_for_member(*, member, now: datetime | None = None) -> None:
    """Take a member's RSVPs away before their account goes.

    Upcoming: cancelled (the waitlist moves up) and removed. Past: kept anonymous, without needs,
    so the headcount of what happened stays right.
    """
    now = now or timezone.now()
    for rsvp in Rsvp.objects.active().filter(member=member, event__start__gt=now).order_by("pk"):
        rsvp_cancel(rsvp=rsvp, now=now)
    Rsvp.objects.filter(member=member, event__start__gt=now).delete()
    Rsvp.objects.filter(member=member, status=Rsvp.Status.CANCELLED).delete()
    Rsvp.objects.filter(member=member).update(
        member=None, show_publicly=False, accessibility_needs="", dietary_needs=""
    )


def rsvps_export_for_member(*, member) -> list[dict]:
    return [
        {
            "event": rsvp.event.title,
            "event_url": site_url(rsvp.event.get_absolute_url()),
            "event_start": rsvp.event.start.isoformat(),
            "status": rsvp.status,
            "show_publicly": rsvp.show_publicly,
            "accessibility_needs": rsvp.accessibility_needs,
            "dietary_needs": rsvp.dietary_needs,
            "arrived": rsvp.arrived_at.isoformat() if rsvp.arrived_at else None,
            "removed_by_a_host": rsvp.removed_at.isoformat() if rsvp.removed_at else None,
            "created": rsvp.created_at.isoformat(),
        }
        for rsvp in Rsvp.objects.filter(member=member).select_related("event").order_by("created_at")
    ]


@transaction.atomic
def calendar_token_get(*, member) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(member=member)
    return token


@transaction.atomic
def calendar_token_rotate(*, member) -> CalendarToken:
    """Give the member a new private feed URL; the old one stops working at once."""
    token, created = CalendarToken.objects.select_for_update().get_or_create(member=member)
    if not created:
        token.token = _new_token()
        token.save(update_fields=["token", "created_at"])
    return token


def follows_export_for_member(*, member) -> dict:
    return {
        "follows": [
            {
                "kind": follow.kind,
                "topic": follow.tag.name if follow.tag else None,
                "city": follow.city or None,
                "frequency": follow.frequency,
                "created": follow.created_at.isoformat(),
            }
            for follow in Follow.objects.filter(member=member)
            .select_related("tag")
            .order_by("created_at", "pk")
        ],
        "notifications_sent": [
            {
                "event": note.event.title,
                "event_url": site_url(note.event.get_absolute_url()),
                "sent": note.created_at.isoformat(),
            }
            for note in FollowNotification.objects.filter(member=member)
            .select_related("event")
            .order_by("created_at", "pk")
        ],
    }


@transaction.atomic
def follows_remove_for_member(*, member) -> None:
    Follow.objects.filter(member=member).delete()
    FollowNotification.objects.filter(member=member).delete()


def hosting_export_for_member(*, member) -> dict:
    """What a member did as a host: the events they proposed or host, the messages they wrote to
    attendees, the reports they made and the co-host invitations sent to their address."""
    return {
        "events_proposed_or_hosted": [
            {
                "event": event.title,
                "event_url": site_url(event.get_absolute_url()),
                "status": event.status,
                "proposed_by_me": event.proposed_by_id == member.pk,
                "review_message": event.review_message,
            }
            for event in Event.objects.filter(Q(proposed_by=member) | Q(organisers=member))
            .distinct()
            .order_by("created_at", "pk")
        ],
        "messages_to_attendees": [
            {
                "event": message.event.title,
                "to": message.audience,
                "subject": message.subject,
                "body": message.body,
                "recipients": message.recipients,
                "sent": message.created_at.isoformat(),
            }
            for message in EventMessage.objects.filter(author=member)
            .select_related("event")
            .order_by("created_at", "pk")
        ],
        "reports": [
            {"event": report.event.title, "reason": report.reason, "sent": report.created_at.isoformat()}
            for report in EventReport.objects.filter(reporter=member)
            .select_related("event")
            .order_by("created_at", "pk")
        ],
        "cohost_invitations": [
            {
                "event": invite.event.title,
                "sent": invite.created_at.isoformat(),
                "accepted": invite.accepted_at.isoformat() if invite.accepted_at else None,
            }
            for invite in CohostInvite.objects.filter(email__iexact=member.email)
            .select_related("event")
            .order_by("created_at", "pk")
        ],
    }


@transaction.atomic
def hosting_remove_for_member(*, member) -> None:
    """Before an account goes: invitations to its address go; messages, reports and proposals stay
    with the event, their author unknown (SET_NULL when the row goes)."""
    CohostInvite.objects.filter(email__iexact=member.email).delete()
