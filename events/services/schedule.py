"""An unconference's schedule once placed: publishing it, telling the members who want sessions (one
mail each, rendered by its job in the member's language), and the reads of a published schedule: the
event page's table, "Mitt schema" and "Nu och härnäst".

The board itself (proposals, interest, rooms, slots, placements) is events.services.sessions.
"""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events.models import Event, Placement, Schedule, Session, SessionInterest
from events.services.mail import site_url
from events.services.sessions import SessionError, schedule_grid, with_event
from members.models import Member
from otg.common.text import clean_line
from otg.jobs.queue import enqueue_many


def _interested_member_ids(event: Event) -> list[int]:
    return list(
        SessionInterest.objects.filter(session__event=event, session__hidden_at__isnull=True)
        .values_list("member_id", flat=True)
        .distinct()
        .order_by("member_id")
    )


def _members_queue(event: Event, template: str) -> int:
    ids = _interested_member_ids(event)
    enqueue_many(
        "session_mail_send",
        [{"member_id": pk, "event_id": event.pk, "template": template} for pk in ids],
    )
    return len(ids)


@transaction.atomic
def schedule_publish(*, event: Event, now: datetime | None = None) -> int:
    """Publish the schedule: each member who wants a session gets one mail with their own schedule.
    Returns how many were told."""
    now = now or timezone.now()
    schedule, _created = Schedule.objects.select_for_update().get_or_create(event=event)
    if schedule.is_published:
        raise SessionError(_("The schedule is already published."), code="published")
    schedule.published_at, schedule.changed_at = now, None
    schedule.save(update_fields=["published_at", "changed_at"])
    return _members_queue(event, "schedule_published")


@transaction.atomic
def schedule_changes_send(*, event: Event) -> int:
    """Tell the members who want sessions that the schedule changed: one mail each, however many
    sessions moved since they were last told."""
    schedule = Schedule.objects.select_for_update().filter(event=event).first()
    if schedule is None or not schedule.is_published or schedule.changed_at is None:
        raise SessionError(_("Nothing has changed since the members were told."), code="unchanged")
    schedule.changed_at = None
    schedule.save(update_fields=["changed_at"])
    return _members_queue(event, "schedule_changed")


@transaction.atomic
def schedule_unpublish(*, event: Event) -> None:
    Schedule.objects.filter(event=event).update(published_at=None, changed_at=None)


def is_published(event: Event) -> bool:
    return Schedule.objects.filter(event=event, published_at__isnull=False).exists()


def published_schedule(event: Event) -> dict:
    """What the event page shows of an unconference's board: whether it has one, and its schedule once
    published (rooms and rows as schedule_grid), with how many sessions are proposed."""
    if event.kind != Event.Kind.UNCONFERENCE:
        return {"board": False}
    rooms, grid = schedule_grid(event) if is_published(event) else ([], [])
    return {
        "board": True,
        "rooms": rooms,
        "grid": grid,
        "count": Session.objects.shown().filter(event=event).count(),
    }


def my_schedule(event: Event, member) -> list[dict]:
    """The sessions a member wants (or proposes), in time order, each with whether it clashes with
    another of them; unplaced ones last."""
    sessions = with_event(
        event,
        Session.objects.shown()
        .filter(event=event)
        .filter(Q(interests__member=member) | Q(proposer=member) | Q(co_proposers=member))
        .distinct()
        .select_related("placement__room", "placement__slot"),
    )

    rows = []
    for session in sessions:
        placement = session.placement if hasattr(session, "placement") else None
        rows.append(
            {
                "session": session,
                "slot": placement.slot if placement else None,
                "room": placement.room if placement else None,
            }
        )
    for row in rows:
        row["clashes"] = [
            other["session"]
            for other in rows
            if other is not row and row["slot"] and other["slot"] and row["slot"].overlaps(other["slot"])
        ]
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    rows.sort(key=lambda r: (r["slot"].starts if r["slot"] else far, r["session"].title))
    return rows


def now_and_next(event: Event, now: datetime | None = None) -> tuple[list[Placement], list[Placement]]:
    """What is on now, and what starts next (the next slot's sessions)."""
    now = now or timezone.now()
    placements = list(
        Placement.objects.filter(session__event=event, session__hidden_at__isnull=True)
        .select_related("session", "room", "slot")
        .order_by("slot__starts", "room__name")
    )
    with_event(event, [p.session for p in placements])
    current = [p for p in placements if p.slot.starts <= now < p.slot.ends]
    later = [p for p in placements if p.slot.starts > now]
    upcoming_start = later[0].slot.starts if later else None
    return current, [p for p in later if p.slot.starts == upcoming_start]


# --- Mail, rendered by its job ---------------------------------------------------------------------


def session_mail_render(
    *, member_id: int, event_id: int, template: str, session_id: int | None = None
) -> EmailMessage | None:
    """One mail about the board, in the member's language, from the schedule as it is now.

    None when it no longer applies: the member or the event is gone, the session is no longer placed
    (placed/moved) or hidden (hidden), or the schedule is not published (published/changed).
    """
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    event = Event.objects.filter(pk=event_id).first()
    if member is None or event is None or not member.email or event.is_cancelled:
        return None
    context = {"member": member, "event": event, "event_url": site_url(event.get_absolute_url())}
    if template == "session_hidden":
        session = Session.objects.filter(pk=session_id, hidden_at__isnull=False).first()
        if session is None:  # shown again since: nothing to say
            return None
        context.update(session=session, session_url=site_url(session.get_absolute_url()))
    elif session_id is not None:
        placement = (
            Placement.objects.filter(session_id=session_id, session__hidden_at__isnull=True)
            .select_related("session", "room", "slot")
            .first()
        )
        if placement is None:
            return None
        context.update(
            placement=placement,
            session=placement.session,
            session_url=site_url(placement.session.get_absolute_url()),
        )
    else:
        if not is_published(event):
            return None
        context.update(
            rows=my_schedule(event, member),
            my_schedule_url=site_url(reverse("events:my-schedule", args=[event.slug])),
        )
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"events/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"events/email/{template}.txt", context)
    return EmailMessage(
        subject=clean_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject), body=body, to=[member.email]
    )
