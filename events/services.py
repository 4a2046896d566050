"""The rules for events and RSVPs. Views, admin actions, commands and tests all call these.

Every write that touches who is going takes the event row's lock (select_for_update) in the same
transaction that updates the counters on the event, so capacity holds under concurrent requests and
list pages never count RSVPs. Mail is queued in the same transaction (so it exists only if the write
committed) and rendered by its job, in the member's language.
"""

import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from io import BytesIO

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events.models import (
    CalendarToken,
    CohostInvite,
    Event,
    EventMessage,
    EventReport,
    Follow,
    FollowNotification,
    Rsvp,
)
from otg.common.caching import generations
from otg.common.files import file_save, files_atomic, files_delete_on_commit, stored_files
from otg.common.images import clean_image
from otg.common.jobs import enqueue, enqueue_many, jobs_delete
from otg.common.text import clean_line
from otg.common.topics import public_tag

LOCK_NOT_AVAILABLE = "55P03"
ACTIVE_RSVP_CONSTRAINT = "rsvp_one_active_per_member"


class RsvpError(ValidationError):
    """An RSVP that cannot be made or changed, with a message for the member."""


# --- Locking ------------------------------------------------------------------------------------


# What a new RSVP reads of the event it locks: its state (rsvp_closed_reason) and counters. Reading
# the whole row (some thirty columns) cost a third more of the RSVP's CPU in the lock's statement.
RSVP_CREATE_FIELDS = (
    "status",
    "start",
    "rsvp_opens_at",
    "rsvp_closes_at",
    "capacity",
    "going_count",
    "waitlist_count",
)


def _lock_event(*, fields: Iterable[str] = (), **lookup) -> Event:
    """Lock the event row for this transaction, waiting at most EVENT_LOCK_TIMEOUT.

    The locking statement sets the timeout itself: set_config(..., true) is local to the
    transaction like SET LOCAL, and PostgreSQL evaluates the WHERE clause before it waits for the
    row's lock. One round trip instead of two, on the path every RSVP takes. ``fields``: read only
    these (the others load on access, one query each).
    """
    timeout = RawSQL(
        "set_config('lock_timeout', %s, true) IS NOT NULL",
        [f"{int(settings.EVENT_LOCK_TIMEOUT_MS)}ms"],
        output_field=BooleanField(),
    )
    try:
        events = Event.objects.select_for_update().filter(timeout)
        return (events.only(*fields) if fields else events).get(**lookup)
    except OperationalError as error:
        if getattr(getattr(error, "__cause__", None), "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise RsvpError(
                _("Many people are answering right now. Please try again in a moment."), code="busy"
            ) from error
        raise


# --- Mail ---------------------------------------------------------------------------------------


def _site_url(path: str) -> str:
    return settings.SITE_URL + path


# What a mail says must still be true when its job runs: "you are coming" only to a member who is
# still going, "you are on the waitlist" only to one still waiting.
STILL_TRUE = {
    "rsvp_going": Rsvp.Status.GOING,
    "rsvp_promoted": Rsvp.Status.GOING,
    "reminder": Rsvp.Status.GOING,
    "rsvp_waitlisted": Rsvp.Status.WAITLISTED,
}
# ... and of the event: no "you are coming", reminder or change notice for an event cancelled since (its
# cancellation notice says it all), no request to review a proposal another reviewer has decided on, no
# "not approved" for a proposal sent again and published since.
# A worker that is behind, or an SMTP outage retried for hours, runs a job long after it was queued.
EVENT_STILL = {
    "rsvp_going": Event.Status.PUBLISHED,
    "rsvp_promoted": Event.Status.PUBLISHED,
    "rsvp_waitlisted": Event.Status.PUBLISHED,
    "reminder": Event.Status.PUBLISHED,
    "event_changed": Event.Status.PUBLISHED,
    "event_cancelled": Event.Status.CANCELLED,
    "proposal_review": Event.Status.PENDING,
    "proposal_approved": Event.Status.PUBLISHED,
    "proposal_declined": Event.Status.DECLINED,
}
# How long before the start a reminder goes out ("Tomorrow: …"), and so how long before it it still may.
REMINDER_LEAD = timedelta(days=1)
# Mails to hosts, reviewers, staff and removed attendees: not about an answer the member still has.
NOT_ABOUT_AN_ANSWER = {
    "proposal_review",
    "proposal_approved",
    "proposal_declined",
    "event_reported",
    "rsvp_removed",
}


def _still_true(template: str, event: Event, now: datetime) -> bool:
    """Whether a mail queued about ``event`` still says something true about it at ``now``."""
    if template in EVENT_STILL and event.status != EVENT_STILL[template]:
        return False
    if template == "reminder":
        return now < event.start <= now + REMINDER_LEAD
    if template in STILL_TRUE or template == "event_changed":
        return now < event.end  # a confirmation or change notice about an event that is over is noise
    return True


def event_mail_render(
    *,
    member_id: int,
    event_id: int,
    template: str,
    attach_ics: bool = False,
    extra: dict | None = None,
    rsvp_id: int | None = None,
    now: datetime | None = None,
) -> EmailMessage | None:
    """One mail about an event, in the member's language, from the data as it is now.

    None when it should no longer go out: the member or the event is gone, the answer it confirms
    has changed since it was queued (a member who cancelled gets no "you are coming"), or the event has
    (cancelled, started, reviewed: EVENT_STILL). What the member's answer is (going or waiting, the place
    on the waitlist) is read now too, never taken from when the mail was queued.
    """
    from events.calendars import event_calendar
    from members.models import Member

    now = now or timezone.now()
    # The .ics is kept per generation of events (_calendar_file): read before any row, as every kept
    # page reads it, so a file kept under a generation was built from rows read after it existed.
    version = generations("events", clocks=False) if attach_ics else ""
    answer = {}
    if template in NOT_ABOUT_AN_ANSWER:
        member = Member.objects.filter(pk=member_id, is_active=True).first()
        event = Event.objects.filter(pk=event_id).first()
        if member is None or event is None or not member.email:
            return None
    else:
        # Every other event mail is about the member's answer: one query reads it with its member and event.
        rsvps = Rsvp.objects.select_related("member", "event").filter(
            event_id=event_id, member_id=member_id, member__is_active=True
        )
        if rsvp_id is not None:  # that very answer (a job queued without it: the member's current one)
            rsvps = rsvps.filter(pk=rsvp_id)
        if template == "rsvp_waitlisted":
            rsvps = rsvps.with_waitlist_position()
        status = STILL_TRUE.get(template)
        rsvp = (rsvps.filter(status=status) if status else rsvps.active()).first()
        if rsvp is None or not rsvp.member.email:
            return None
        member, event = rsvp.member, rsvp.event
        answer = {"status": rsvp.status}
        if template == "rsvp_waitlisted":
            answer["position"] = rsvp.waitlist_position
    if not _still_true(template, event, now):
        return None
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "member": member,
            "event": event,
            "event_url": _site_url(event.get_absolute_url()),
            "my_events_url": _site_url(reverse("events:my-events")),
            "host_url": _site_url(reverse("events:host-edit", args=[event.slug])),
            "review_url": _site_url(reverse("events:review-list")),
            **(extra or {}),
            **answer,
        }
        subject = render_to_string(f"events/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"events/email/{template}.txt", context)
        message = EmailMessage(
            # A line break in a header is a new header: fold it, whatever the event's title holds.
            subject=clean_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject),
            body=body,
            to=[member.email],
        )
        if attach_ics:
            message.attach(
                f"{event.slug}.ics", _calendar_file(event, event_calendar, version), "text/calendar"
            )
    return message


_calendar_files: dict[tuple, bytes] = {}


def _calendar_file(event: Event, build, version: str) -> bytes:
    """The event's .ics, built once per generation of events (``version``, otg.common.caching) and
    language in this process.

    A fan-out sends the same file to every attendee; building it was half of each mail's work. Every
    write to an event retires its generation on commit, a write with update() too (its service bumps by
    hand), so a changed event gets a new file: never a key made of updated_at or SEQUENCE, which a write
    can leave where they were.
    """
    key = (event.pk, version, translation.get_language())
    if (calendar := _calendar_files.get(key)) is None:
        if len(_calendar_files) >= 256:
            _calendar_files.clear()
        calendar = _calendar_files[key] = build(event)
    return calendar


def _send(
    *,
    template: str,
    event: Event,
    member=None,
    rsvp: Rsvp | None = None,
    attach_ics: bool = False,
    extra: dict | None = None,
):
    """Queue one mail as ids, inside the caller's transaction; its job renders it (events.tasks).

    The job row commits with the write that causes it, or is rolled back with it: a refused or
    failed RSVP queues nothing, and no crash between a commit and an on-commit hook can lose a
    confirmation. A worker sees the job once the transaction has committed, and the RSVP needs no
    second transaction for it. A mail about an answer names it (``rsvp``): its job sends it only while
    that very answer stands, never about a newer one the member gave after cancelling it.
    """
    _send_many(
        template=template,
        event=event,
        members=[member] if member is not None else [],
        rsvps=[rsvp] if rsvp is not None else [],
        attach_ics=attach_ics,
        extra=extra,
    )


def _send_many(
    *,
    template: str,
    event: Event,
    members: Iterable = (),
    rsvps: Iterable[Rsvp] = (),
    attach_ics: bool = False,
    extra: dict | None = None,
):
    """``_send`` to each of ``members`` and about each of ``rsvps``, all queued in one statement."""
    from events.tasks import event_mail_send

    recipients = [(member, None) for member in members] + [(rsvp.member, rsvp.pk) for rsvp in rsvps]
    enqueue_many(
        event_mail_send,
        [
            {
                "member_id": member.pk,
                "event_id": event.pk,
                "template": template,
                "attach_ics": attach_ics,
                "extra": extra or {},
                **({"rsvp_id": rsvp_id} if rsvp_id is not None else {}),
            }
            for member, rsvp_id in recipients
            if member is not None and member.email
        ],
    )


# --- RSVP ---------------------------------------------------------------------------------------


def rsvp_create(
    *,
    event: Event | None = None,
    slug: str = "",
    member,
    show_publicly: bool = False,
    accessibility_needs: str = "",
    dietary_needs: str = "",
    now: datetime | None = None,
    lock: bool = True,
) -> Rsvp:
    """RSVP "I'm coming": going while there are places, else on the waitlist. Mails a confirmation.

    A second active answer of the same member is refused by the database (the constraint
    rsvp_one_active_per_member), which rolls the attempt back whole: no query asks first, so the
    event's lock is held one round trip shorter.

    The event is given, or its ``slug``: then it is read once, by the lock (the RSVP view's way;
    Event.DoesNotExist if there is none, RsvpError "unpublished" for a draft).

    ``lock`` is a test-only control: the concurrency test turns it off to show that without the
    event row lock the same requests oversell. Never pass it anywhere else.
    """
    try:
        return _rsvp_create(
            event=event,
            slug=slug,
            member=member,
            show_publicly=show_publicly,
            accessibility_needs=accessibility_needs,
            dietary_needs=dietary_needs,
            now=now,
            lock=lock,
        )
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") == ACTIVE_RSVP_CONSTRAINT:
            raise RsvpError(_("You have already answered for this event."), code="duplicate") from error
        raise


@transaction.atomic
def _rsvp_create(
    *,
    event: Event | None,
    slug: str,
    member,
    show_publicly: bool,
    accessibility_needs: str,
    dietary_needs: str,
    now: datetime | None,
    lock: bool,
) -> Rsvp:
    lookup = {"pk": event.pk} if event is not None else {"slug": slug}
    locked = _lock_event(fields=RSVP_CREATE_FIELDS, **lookup) if lock else Event.objects.get(**lookup)
    # Taken once the lock is held, so that creation time is the order of arrival at the lock.
    now = now or timezone.now()
    if locked.status not in (Event.Status.PUBLISHED, Event.Status.CANCELLED):
        raise RsvpError(_("The event is not published."), code="unpublished")
    if Rsvp.objects.filter(event=locked, member=member, removed_at__isnull=False).exists():
        raise RsvpError(_("A host has removed you from this event."), code="removed")
    if reason := locked.rsvp_closed_reason(now):
        raise RsvpError(reason, code="closed")
    if locked.capacity is None or locked.going_count < locked.capacity:
        status = Rsvp.Status.GOING
        locked.going_count += 1
    else:
        status = Rsvp.Status.WAITLISTED
        locked.waitlist_count += 1
    rsvp = Rsvp.objects.create(
        event=locked,
        member=member,
        status=status,
        show_publicly=show_publicly,
        accessibility_needs=accessibility_needs.strip(),
        dietary_needs=dietary_needs.strip(),
        created_at=now,
    )
    locked.save(update_fields=["going_count", "waitlist_count"])
    if status == Rsvp.Status.GOING:
        _send(rsvp=rsvp, template="rsvp_going", event=locked, attach_ics=True)
    else:
        _send(rsvp=rsvp, template="rsvp_waitlisted", event=locked)  # its place is read when it is sent
    return rsvp


def _promote(event: Event, now: datetime) -> list[Rsvp]:
    """Move the oldest waitlisted members up while there are places; the caller holds the lock."""
    promoted = []
    while event.waitlist_count and (event.capacity is None or event.going_count < event.capacity):
        rsvp = Rsvp.objects.waitlisted().filter(event=event).select_related("member").first()
        if rsvp is None:
            break
        rsvp.status = Rsvp.Status.GOING
        rsvp.promoted_at = now
        rsvp.save(update_fields=["status", "promoted_at"])
        event.going_count += 1
        event.waitlist_count -= 1
        promoted.append(rsvp)
        _send(rsvp=rsvp, template="rsvp_promoted", event=event, attach_ics=True)
    return promoted


@transaction.atomic
def rsvp_update(
    *,
    rsvp: Rsvp,
    show_publicly: bool,
    accessibility_needs: str,
    dietary_needs: str,
    now: datetime | None = None,
) -> Rsvp:
    """Change a standing answer's needs and public visibility; the place (or waitlist position) is kept.

    Takes the event row's lock like every other write to an answer, so a change cannot cross a
    cancellation or a promotion; an event that has ended is not changed any more.
    """
    now = now or timezone.now()
    event = _lock_event(pk=rsvp.event_id)
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    if not rsvp.is_active:
        raise RsvpError(_("This answer is already cancelled."), code="cancelled")
    if now >= event.end:
        raise RsvpError(_("The event has ended."), code="ended")
    rsvp.show_publicly = show_publicly
    rsvp.accessibility_needs = accessibility_needs.strip()
    rsvp.dietary_needs = dietary_needs.strip()
    rsvp.save(update_fields=["show_publicly", "accessibility_needs", "dietary_needs"])
    # The public attendee list is cached per version of the people it names (events.models).
    event.save(update_fields=["updated_at"])
    return rsvp


@transaction.atomic
def rsvp_cancel(*, rsvp: Rsvp, now: datetime | None = None, notify: bool = True) -> Rsvp:
    """Cancel an RSVP; a freed place goes to the first on the waitlist in the same transaction."""
    now = now or timezone.now()
    event = _lock_event(pk=rsvp.event_id)
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    if not rsvp.is_active:
        raise RsvpError(_("This answer is already cancelled."), code="cancelled")
    if now >= event.start and event.status != Event.Status.CANCELLED:
        raise RsvpError(_("The event has started."), code="started")
    was_going = rsvp.status == Rsvp.Status.GOING
    rsvp.status = Rsvp.Status.CANCELLED
    rsvp.cancelled_at = now
    rsvp.save(update_fields=["status", "cancelled_at"])
    if was_going:
        event.going_count -= 1
        if event.status == Event.Status.PUBLISHED and now < event.start:
            _promote(event, now)
    else:
        event.waitlist_count -= 1
    event.save(update_fields=["going_count", "waitlist_count"])
    return rsvp


# --- Events -------------------------------------------------------------------------------------


def _notify_attendees(event: Event, template: str) -> None:
    if template == "event_changed":
        # A change notice still waiting would say what this one says (each is rendered from the event
        # as it is when sent): the new one replaces it, so a second edit before the worker ran does not
        # send everyone the same notice twice. One a worker is sending right now is left to it.
        jobs_delete(
            where="status = 'todo' AND task_name = 'event_mail_send' AND args->>'template' = 'event_changed'"
            " AND args->>'event_id' = %s",
            params=[str(event.pk)],
        )
    rsvps = Rsvp.objects.active().filter(event=event, member__isnull=False).select_related("member")
    _send_many(rsvps=rsvps, template=template, event=event, attach_ics=True)


@transaction.atomic
def event_edit_lock(*, event: Event, capacity: int | None) -> Event:
    """Lock the event for the rest of the caller's transaction and refuse a capacity below those going.

    The admin's form calls it from clean(): no RSVP can come between this check and event_save, so a
    refused change is a form error and nothing of it is stored. Raises RsvpError.
    """
    locked = _lock_event(pk=event.pk)
    if capacity is not None and capacity < locked.going_count:
        raise RsvpError(
            _("%(going)s people are already going: the capacity cannot be lower than that.")
            % {"going": locked.going_count},
            code="capacity",
        )
    return locked


@transaction.atomic
def event_save(
    *, event: Event, changed_fields: Iterable[str] = (), now: datetime | None = None, lock: bool = True
) -> Event:
    """Save an event edited in a form (the admin's or a host's). Counters are never taken from the form.

    A change of time or place raises SEQUENCE and tells everyone who answered; more capacity promotes
    from the waitlist; capacity below the number already going is refused.

    ``lock`` is a test-only control, like rsvp_create's: without the lock the form's own (stale)
    counters are trusted, and a host lowering capacity during RSVPs loses places. Never pass it elsewhere.
    """
    now = now or timezone.now()
    changed = set(changed_fields)
    if event.pk is None:
        event.save()
        if event.status == Event.Status.PUBLISHED:
            _followers_notify_queue(event)
        return event
    locked = _lock_event(pk=event.pk) if lock else event
    newly_published = locked.status != Event.Status.PUBLISHED and event.status == Event.Status.PUBLISHED
    if event.capacity is not None and event.capacity < locked.going_count:
        raise RsvpError(
            _("%(going)s people are already going: the capacity cannot be lower than that.")
            % {"going": locked.going_count},
            code="capacity",
        )
    event.going_count = locked.going_count
    event.waitlist_count = locked.waitlist_count
    event.sequence = locked.sequence
    significant = changed & set(Event.SIGNIFICANT_FIELDS)
    if significant or "status" in changed:
        event.sequence += 1
    event.save()
    if event.status == Event.Status.PUBLISHED and now < event.start:
        _promote(event, now)
        event.save(update_fields=["going_count", "waitlist_count"])
    if "start" in changed and event.start > now + REMINDER_LEAD:
        # Moved out of the reminders' window: the reminder already sent (or queued, which its job now
        # drops) was about the old day. Within the window the change notice is the reminder.
        Rsvp.objects.filter(event=event, reminder_sent_at__isnull=False).update(reminder_sent_at=None)
    if significant and event.status == Event.Status.PUBLISHED:
        _notify_attendees(event, "event_changed")
    if "status" in changed and event.status == Event.Status.CANCELLED:
        _notify_attendees(event, "event_cancelled")
    if newly_published:
        _followers_notify_queue(event)
    return event


@transaction.atomic
def event_publish(*, event: Event) -> Event:
    locked = _lock_event(pk=event.pk)
    if locked.status == Event.Status.PUBLISHED:
        return locked
    locked.status = Event.Status.PUBLISHED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    _followers_notify_queue(locked)
    return locked


@transaction.atomic
def event_cancel(*, event: Event, message: str = "") -> Event:
    """Cancel an event: it stays visible, marked cancelled; everyone who answered is told (with the
    host's message, when there is one)."""
    locked = _lock_event(pk=event.pk)
    if locked.status == Event.Status.CANCELLED:
        return locked
    locked.status = Event.Status.CANCELLED
    locked.cancel_message = message.strip()
    locked.sequence += 1
    locked.save(update_fields=["status", "cancel_message", "sequence", "updated_at"])
    _notify_attendees(locked, "event_cancelled")
    return locked


# --- Cover image ---------------------------------------------------------------------------------


@files_atomic()
def event_cover_set(*, event: Event, upload, alt: str) -> Event:
    """Store a clean copy of the upload as the event's cover; the old file goes after commit.

    The one way a cover reaches storage (the admin calls it, and so will the hosts' form). The new
    file is removed again if the transaction rolls back. Raises ValidationError when the upload is not
    an acceptable image, ValueError without alt text.
    """
    if not alt.strip():
        raise ValueError("A cover image needs alt text.")
    image = clean_image(upload)
    files_delete_on_commit([event.cover_image])  # the name as it is now
    event.cover_alt = alt.strip()
    file_save(event.cover_image, image.file())
    event.save(update_fields=["cover_image", "cover_alt", "updated_at"])
    return event


@files_atomic()
def event_cover_clear(*, event: Event) -> Event:
    # The stored name, not the instance's: a form may have emptied the field in memory already.
    files_delete_on_commit(stored_files(event, "cover_image"))
    event.cover_image = ""
    event.save(update_fields=["cover_image", "updated_at"])
    return event


# --- Members: deletion, export, calendar token ---------------------------------------------------


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
            "event_url": _site_url(rsvp.event.get_absolute_url()),
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
    from events.models import _new_token

    token, created = CalendarToken.objects.select_for_update().get_or_create(member=member)
    if not created:
        token.token = _new_token()
        token.save(update_fields=["token", "created_at"])
    return token


# --- Housekeeping (management commands) ----------------------------------------------------------


@transaction.atomic
def rsvp_needs_erase(*, now: datetime | None = None) -> int:
    """Erase stated needs of events that ended EVENT_NEEDS_RETENTION_DAYS ago or more."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EVENT_NEEDS_RETENTION_DAYS)
    return (
        Rsvp.objects.filter(event__end__lt=cutoff)
        .filter(~Q(accessibility_needs="") | ~Q(dietary_needs=""))
        .update(accessibility_needs="", dietary_needs="", needs_erased_at=now)
    )


@transaction.atomic
def rsvp_reminders_send(*, now: datetime | None = None) -> int:
    """Remind those going to a published event that starts within a day. Never twice per RSVP."""
    now = now or timezone.now()
    due = (
        Rsvp.objects.going()
        .filter(
            reminder_sent_at__isnull=True,
            member__isnull=False,
            event__status=Event.Status.PUBLISHED,
            event__start__gt=now,
            event__start__lte=now + REMINDER_LEAD,
        )
        .select_related("event", "member")
        .select_for_update(skip_locked=True, of=("self",))
    )
    rsvps = list(due)
    for rsvp in rsvps:
        rsvp.reminder_sent_at = now
        rsvp.save(update_fields=["reminder_sent_at"])
        _send(rsvp=rsvp, template="reminder", event=rsvp.event, attach_ics=True)
    return len(rsvps)


# --- Follows: topics and cities a member asked to hear about ------------------------------------


class FollowError(ValidationError):
    """A follow that cannot be made, with a message for the member."""


UNSUBSCRIBE_SALT = "events.follow-unsubscribe"


@transaction.atomic
def follow_create(
    *, member, kind: str, tag_slug: str = "", city: str = "", frequency: str = Follow.Frequency.AT_ONCE
) -> Follow:
    """Follow a topic (by its slug) in public use or a city that events take place in; following again
    changes only how often. Only this, the member's own explicit choice, ever makes a follow."""
    if frequency not in Follow.Frequency.values:
        raise FollowError(_("Choose how often you want to hear about new events."), code="frequency")
    if kind == Follow.Kind.TOPIC:
        tag_slug = (tag_slug or "").strip()
        if not tag_slug:
            raise FollowError(_("Choose a topic to follow."), code="topic")
        # A topic in public use (otg.common.topics), or one the member already follows (to change how
        # often); a tag only private or unpublished things carry is no topic to anyone else.
        tag = public_tag(tag_slug)
        if tag is None:
            follow = Follow.objects.filter(member=member, kind=kind, tag__slug=tag_slug).first()
            if follow is None:
                raise FollowError(_("There is no such topic."), code="topic")
            tag = follow.tag
        follow, _created = Follow.objects.get_or_create(
            member=member, kind=kind, tag=tag, defaults={"frequency": frequency}
        )
    elif kind == Follow.Kind.CITY:
        # The same city however it was typed: composed Unicode, one space between words.
        city = " ".join(unicodedata.normalize("NFC", city or "").split())
        if not city:
            raise FollowError(_("Choose a city to follow."), code="city")
        known = {
            unicodedata.normalize("NFC", known).lower(): known for known in Event.objects.visible().cities()
        }
        city = known.get(city.lower())
        if city is None:
            raise FollowError(_("There are no events in that city to follow."), code="city")
        follow = Follow.objects.filter(member=member, kind=kind, city__iexact=city).first()
        if follow is None:
            follow = Follow.objects.create(member=member, kind=kind, city=city, frequency=frequency)
    else:
        raise FollowError(_("Choose a topic or a city to follow."), code="kind")
    if follow.frequency != frequency:
        follow.frequency = frequency
        follow.save(update_fields=["frequency"])
    return follow


@transaction.atomic
def follow_delete(*, follow: Follow) -> None:
    follow.delete()


def follow_unsubscribe_token(follow: Follow) -> str:
    """The signed key of one follow in a mail's unsubscribe link: it opens that follow only."""
    return signing.dumps(follow.pk, salt=UNSUBSCRIBE_SALT)


def follow_from_token(token: str) -> Follow | None:
    """The follow a key opens, or None once it is removed; a key we never signed raises BadSignature."""
    pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(pk, int):
        raise signing.BadSignature("Not a follow's key.")
    return Follow.objects.select_related("tag", "member").filter(pk=pk).first()


def _followers_notify_queue(event: Event) -> None:
    """Queue the fan-out to the event's followers in the caller's transaction: it commits with the
    publication or not at all (from an on-commit hook it was lost when the process died right after the
    commit). The worker sees it only once the event is committed."""
    from events.tasks import event_followers_notify

    enqueue(event_followers_notify, event_id=event.pk)


def followers_notify(*, event_id: int, now: datetime | None = None) -> int:
    """Fan out one mail per member who follows a topic or the city of a newly published event "at once".

    Each member once per event, whether they follow its topic, its city or both, and however often
    this runs: the FollowNotification row is inserted first (ON CONFLICT DO NOTHING) and only the rows
    that were new get a mail job, queued in the same transaction. Returns the number of mails queued.
    """
    from events.tasks import follow_mail_send

    now = now or timezone.now()
    event = Event.objects.filter(pk=event_id, status=Event.Status.PUBLISHED, end__gte=now).first()
    if event is None:
        return 0
    member_ids = sorted(
        set(
            Follow.objects.matching(event)
            .filter(frequency=Follow.Frequency.AT_ONCE, member__is_active=True)
            .exclude(member__email="")
            .values_list("member_id", flat=True)
        )
    )
    if not member_ids:
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {FollowNotification._meta.db_table} (member_id, event_id, created_at)
                    SELECT member_id, %s, %s FROM unnest(%s::bigint[]) AS new(member_id)
                    ON CONFLICT (member_id, event_id) DO NOTHING RETURNING member_id""",  # noqa: S608
                [event.pk, now, member_ids],
            )
            new = sorted(row[0] for row in cursor.fetchall())
        enqueue_many(follow_mail_send, [{"member_id": member_id, "event_id": event.pk} for member_id in new])
    return len(new)


def follow_mail_render(*, member_id: int, event_id: int) -> EmailMessage | None:
    """The "new event" mail to a follower, from the data as it is now; None when it no longer applies
    (the member stopped following, left, or the event was cancelled, withdrawn or is over). Two queries:
    a fan-out runs this once per follower."""
    event = Event.objects.filter(pk=event_id, status=Event.Status.PUBLISHED, end__gt=timezone.now()).first()
    if event is None:
        return None
    follow = (
        Follow.objects.matching(event)
        .filter(member_id=member_id, member__is_active=True, frequency=Follow.Frequency.AT_ONCE)
        .exclude(member__email="")
        .select_related("tag", "member")
        .order_by("kind", "pk")
        .first()
    )
    if follow is None:
        return None
    member = follow.member
    unsubscribe_url = _site_url(reverse("events:follow-unsubscribe", args=[follow_unsubscribe_token(follow)]))
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "member": member,
            "event": event,
            "follow": follow,
            "event_url": _site_url(event.get_absolute_url()),
            "settings_url": _site_url(reverse("events:follow-list")),
            "unsubscribe_url": unsubscribe_url,
        }
        return _follow_mail(member=member, template="follow_new_event", context=context)


def _notifications_claim(*, member_id: int, event_ids: list[int], now: datetime) -> list[int]:
    """Record that the member is told of these events; only the ones not told before come back."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {FollowNotification._meta.db_table} (member_id, event_id, created_at)
                SELECT %s, event_id, %s FROM unnest(%s::bigint[]) AS new(event_id)
                ON CONFLICT (member_id, event_id) DO NOTHING RETURNING event_id""",  # noqa: S608
            [member_id, now, event_ids],
        )
        return sorted(row[0] for row in cursor.fetchall())


def follow_digests_send(*, now: datetime | None = None) -> int:
    """The weekly digests: for each weekly follow, one mail listing the upcoming published events that
    match it and that its member has not been told of (at once, or by another digest). Each event
    reaches a member once, however often this runs. Returns the number of digests queued."""
    from events.tasks import follow_digest_send

    now = now or timezone.now()
    queued = 0
    follows = (
        Follow.objects.filter(frequency=Follow.Frequency.WEEKLY, member__is_active=True)
        .exclude(member__email="")
        .order_by("member_id", "kind", "pk")
    )
    for follow in follows:
        if follow.kind == Follow.Kind.TOPIC:
            matching = Event.objects.filter(tags=follow.tag_id)
        else:
            matching = Event.objects.filter(city__iexact=follow.city)
        event_ids = sorted(
            set(
                matching.filter(status=Event.Status.PUBLISHED, start__gt=now)
                .order_by()
                .values_list("pk", flat=True)
            )
        )
        if not event_ids:
            continue
        with transaction.atomic():
            new = _notifications_claim(member_id=follow.member_id, event_ids=event_ids, now=now)
            if new:
                enqueue(follow_digest_send, follow_id=follow.pk, event_ids=new)
                queued += 1
    return queued


def follow_digest_render(*, follow_id: int, event_ids: list[int]) -> EmailMessage | None:
    """The weekly digest of one follow; None when the follow is gone or none of its events still stands
    (published and not yet started, as when the digest was queued)."""
    follow = Follow.objects.select_related("member", "tag").filter(pk=follow_id).first()
    if follow is None or not follow.member.is_active or not follow.member.email:
        return None
    events = list(
        Event.objects.filter(
            pk__in=event_ids, status=Event.Status.PUBLISHED, start__gt=timezone.now()
        ).order_by("start", "pk")
    )
    if not events:
        return None
    member = follow.member
    unsubscribe_url = _site_url(reverse("events:follow-unsubscribe", args=[follow_unsubscribe_token(follow)]))
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "member": member,
            "follow": follow,
            "events": [(event, _site_url(event.get_absolute_url())) for event in events],
            "settings_url": _site_url(reverse("events:follow-list")),
            "unsubscribe_url": unsubscribe_url,
        }
        return _follow_mail(member=member, template="follow_digest", context=context)


def _follow_mail(*, member, template: str, context: dict) -> EmailMessage:
    """A mail a follow caused, rendered in the active language, with RFC 8058 one-click unsubscribe: a
    mail client may offer "unsubscribe" and POST ``List-Unsubscribe=One-Click`` to the link itself."""
    subject = render_to_string(f"events/email/{template}_subject.txt", context).strip()
    return EmailMessage(
        # A line break in a header is a new header: fold it, whatever an event's title holds.
        subject=clean_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject),
        body=render_to_string(f"events/email/{template}.txt", context),
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


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
                "event_url": _site_url(note.event.get_absolute_url()),
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


# --- Members host events: proposals and moderation ------------------------------------------------


class HostError(ValidationError):
    """A host or proposal action that cannot be done, with a message for the member."""


def can_moderate(user) -> bool:
    """Staff and the "organiser" role (the permission events.moderate_event) review proposals."""
    return bool(user.is_authenticated and (user.is_staff or user.has_perm("events.moderate_event")))


def can_host(user, event: Event) -> bool:
    """Hosts and co-hosts (the event's organisers) and staff run an event from the site."""
    return bool(user.is_authenticated and (user.is_staff or event.organisers.filter(pk=user.pk).exists()))


def is_trusted_host(user) -> bool:
    return bool(user.is_staff or user.has_perm("events.publish_without_review"))


def has_verified_email(user) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _unique_slug(title: str) -> str:
    from django.utils.text import slugify

    from events.forms import RESERVED_SLUGS

    base = slugify(title)[:180] or "evenemang"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _lock_member(member) -> None:
    from members.models import Member

    Member.objects.select_for_update().filter(pk=member.pk).first()


def _check_proposal_limit(member, now: datetime) -> None:
    """At most EVENT_PROPOSALS_PER_DAY new events per member in 24 hours, counted under the member's
    row lock so that two requests at once cannot both pass."""
    _lock_member(member)
    made = Event.objects.proposed_since(member, now - timedelta(days=1)).count()
    if made >= settings.EVENT_PROPOSALS_PER_DAY:
        raise HostError(
            _("You can propose at most %(limit)s events a day. Please try again tomorrow.")
            % {"limit": settings.EVENT_PROPOSALS_PER_DAY},
            code="rate",
        )


def _mail_moderators(event: Event) -> None:
    """Tell staff and organisers that a proposal waits for them (one mail, to every reviewer)."""
    from django.contrib.auth.models import Permission

    from members.models import Member

    permission = Permission.objects.filter(
        content_type__app_label="events", codename="moderate_event"
    ).first()
    who = Q(is_staff=True)
    if permission is not None:  # without its row, a filter on None would match everyone with no group
        who |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    reviewers = Member.objects.filter(is_active=True).filter(who)
    for reviewer in reviewers.distinct():
        _send(member=reviewer, template="proposal_review", event=event)


@transaction.atomic
def event_propose(*, event: Event, member, tags: Iterable[str] = (), now: datetime | None = None) -> Event:
    """A member proposes an event from the site: a trusted host's publishes at once, others wait for review.

    Refused for a member without a verified address, or past EVENT_PROPOSALS_PER_DAY proposals in the
    last 24 hours (counted in the database, under the member's row lock so two tabs cannot pass it).
    """
    now = now or timezone.now()
    if not has_verified_email(member):
        raise HostError(_("Verify your email address before you propose an event."), code="unverified")
    _check_proposal_limit(member, now)
    event.slug = event.slug or _unique_slug(event.title)
    event.proposed_by = member
    event.created_at = now
    trusted = is_trusted_host(member)
    event.status = Event.Status.PUBLISHED if trusted else Event.Status.PENDING
    event_save(event=event)  # a trusted host's event is published: its followers are told (event_save)
    Event.objects.filter(pk=event.pk).update(created_at=now)
    event.organisers.add(member)
    if tags:
        event.tags.set(list(tags))
    if not trusted:
        _mail_moderators(event)
    return event


@transaction.atomic
def event_resubmit(*, event: Event, member) -> Event:
    """A declined proposal, edited, goes back to the review queue."""
    locked = _lock_event(pk=event.pk)
    if locked.status != Event.Status.DECLINED:
        raise HostError(_("Only a declined proposal can be sent again."), code="status")
    locked.status = Event.Status.PUBLISHED if is_trusted_host(member) else Event.Status.PENDING
    locked.save(update_fields=["status", "updated_at"])
    if locked.status == Event.Status.PENDING:
        _mail_moderators(locked)
    else:
        _followers_notify_queue(locked)
    return locked


@transaction.atomic
def event_approve(*, event: Event, reviewer) -> Event:
    """Publish a proposal; its host is told."""
    locked = _lock_event(pk=event.pk)
    if locked.status != Event.Status.PENDING:
        raise HostError(_("This proposal has already been reviewed."), code="status")
    locked.status = Event.Status.PUBLISHED
    locked.review_message = ""
    locked.sequence += 1
    locked.save(update_fields=["status", "review_message", "sequence", "updated_at"])
    _send(member=locked.proposed_by, template="proposal_approved", event=locked)
    _followers_notify_queue(locked)  # as event_publish: followers of its topics and city are told
    return locked


@transaction.atomic
def event_decline(*, event: Event, reviewer, message: str) -> Event:
    """Send a proposal back with a message; the host can edit it and send it again."""
    message = message.strip()
    if not message:
        raise HostError(_("Tell the host why, so they can improve the proposal."), code="message")
    locked = _lock_event(pk=event.pk)
    if locked.status != Event.Status.PENDING:
        raise HostError(_("This proposal has already been reviewed."), code="status")
    locked.status = Event.Status.DECLINED
    locked.review_message = message
    locked.save(update_fields=["status", "review_message", "updated_at"])
    _send(member=locked.proposed_by, template="proposal_declined", event=locked, extra={"message": message})
    return locked


# --- Host tools -----------------------------------------------------------------------------------


@transaction.atomic
def cohost_invite(*, event: Event, email: str, invited_by) -> CohostInvite:
    """Invite someone by email to host the event too; they accept from the link in the mail."""
    from django.core.mail import send_mail

    email = email.strip()
    if event.organisers.filter(email__iexact=email).exists():
        raise HostError(_("This person already hosts the event."), code="already")
    invite = CohostInvite.objects.create(event=event, email=email, invited_by=invited_by)
    url = _site_url(reverse("events:cohost-accept", args=[invite.token]))
    # In the invited member's language; someone not yet a member gets the inviter's.
    from members.models import Member

    invited = Member.objects.filter(email__iexact=email).only("preferred_language").first()
    language = (
        getattr(invited, "preferred_language", "")
        or getattr(invited_by, "preferred_language", "")
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        context = {"event": event, "inviter": invited_by, "url": url}
        subject = render_to_string("events/email/cohost_invite_subject.txt", context).strip()
        body = render_to_string("events/email/cohost_invite.txt", context)
    # send_mail only queues it (otg.common.mail.QueueBackend), in this transaction: the invitation and its
    # mail commit together. The subject is folded to one line.
    send_mail(clean_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject), body, None, [email])
    return invite


@transaction.atomic
def cohost_accept(*, token: str, member, now: datetime | None = None) -> Event:
    """The invited member becomes a host of the event: the same rights as the one who invited them.

    The link is the key, so anyone signed in who holds it may accept it once; it is sent only to the
    invited address.
    """
    now = now or timezone.now()
    invite = CohostInvite.objects.select_for_update().filter(token=token, accepted_at__isnull=True).first()
    if invite is None:
        raise HostError(_("This invitation has been used or is no longer valid."), code="invalid")
    invite.accepted_at = now
    invite.save(update_fields=["accepted_at"])
    invite.event.organisers.add(member)
    Event.objects.filter(pk=invite.event_id).update(updated_at=now)
    return invite.event


def _audience(event: Event, audience: str):
    statuses = {
        EventMessage.Audience.GOING: [Rsvp.Status.GOING],
        EventMessage.Audience.WAITLISTED: [Rsvp.Status.WAITLISTED],
        EventMessage.Audience.BOTH: [Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
    }[audience]
    return Rsvp.objects.filter(event=event, status__in=statuses, member__isnull=False).select_related(
        "member"
    )


@transaction.atomic
def event_message_send(
    *, event: Event, author, audience: str, subject: str, body: str, now: datetime | None = None
) -> EventMessage:
    """A host writes to those going, waiting or both: logged on the event, EVENT_MESSAGES_PER_DAY per
    event in 24 hours, one queued mail per member saying who wrote it and why they receive it."""
    now = now or timezone.now()
    locked = _lock_event(pk=event.pk)
    sent = EventMessage.objects.filter(event=locked, created_at__gte=now - timedelta(days=1)).count()
    if sent >= settings.EVENT_MESSAGES_PER_DAY:
        raise HostError(
            _("At most %(limit)s messages a day can be sent about one event. Please try again tomorrow.")
            % {"limit": settings.EVENT_MESSAGES_PER_DAY},
            code="rate",
        )
    rsvps = list(_audience(locked, audience))
    message = EventMessage.objects.create(
        event=locked,
        author=author,
        audience=audience,
        subject=subject.strip(),
        body=body.strip(),
        recipients=len(rsvps),
        created_at=now,
    )
    for rsvp in rsvps:
        _send(
            rsvp=rsvp,
            template="host_message",
            event=locked,
            extra={
                "subject": message.subject,
                "body": message.body,
                "author": getattr(author, "name", ""),
            },  # why the member receives it (going or waiting) is read when it is sent
        )
    return message


@transaction.atomic
def rsvp_remove(*, rsvp: Rsvp, reason: str = "", now: datetime | None = None) -> Rsvp:
    """A host removes an attendee who broke the code of conduct: they are told, and their place goes to
    the first on the waitlist (the same promotion as a cancellation). They cannot answer again."""
    now = now or timezone.now()
    event = _lock_event(pk=rsvp.event_id)
    rsvp = Rsvp.objects.select_for_update(of=("self",)).select_related("member").get(pk=rsvp.pk)
    if not rsvp.is_active:
        raise HostError(_("This person is not on the list any more."), code="inactive")
    was_going = rsvp.status == Rsvp.Status.GOING
    rsvp.status = Rsvp.Status.CANCELLED
    rsvp.cancelled_at = now
    rsvp.removed_at = now
    rsvp.save(update_fields=["status", "cancelled_at", "removed_at"])
    if was_going:
        event.going_count -= 1
        if event.status == Event.Status.PUBLISHED and now < event.start:
            _promote(event, now)
    else:
        event.waitlist_count -= 1
    event.save(update_fields=["going_count", "waitlist_count", "updated_at"])
    _send(member=rsvp.member, template="rsvp_removed", event=event, extra={"reason": reason.strip()})
    return rsvp


@transaction.atomic
def rsvp_check_in(*, rsvp: Rsvp, arrived: bool = True, now: datetime | None = None) -> Rsvp:
    """Mark at the door that someone going has arrived (or undo a wrong tap)."""
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    if rsvp.status != Rsvp.Status.GOING:
        raise HostError(_("Only someone who is going can be checked in."), code="status")
    rsvp.arrived_at = (now or timezone.now()) if arrived else None
    rsvp.save(update_fields=["arrived_at"])
    return rsvp


@transaction.atomic
def event_repeat(*, event: Event, start: datetime, member) -> Event:
    """ "Arrangera igen": a copy of the event on a new date, in one step, with the same hosts and topics.

    The copy publishes at once for a trusted host, staff or a reviewer; otherwise it waits for review
    and counts against the daily proposal limit like any proposal. Nobody's answer is copied.
    """
    trusted = is_trusted_host(member) or can_moderate(member)
    if not trusted:
        _check_proposal_limit(member, timezone.now())
    offset = start - event.start
    copy = Event(
        title=event.title,
        slug=_unique_slug(event.title),
        kind=event.kind,
        summary=event.summary,
        description=event.description,
        start=start,
        end=event.end + offset,
        format=event.format,
        venue_name=event.venue_name,
        address=event.address,
        city=event.city,
        online_url=event.online_url,
        capacity=event.capacity,
        rsvp_closes_at=event.rsvp_closes_at + offset if event.rsvp_closes_at else None,
        website=event.website,
        proposed_by=member,
    )
    copy.status = Event.Status.PUBLISHED if trusted else Event.Status.PENDING
    event_save(event=copy)  # published at once: its followers are told (event_save)
    copy.organisers.set(event.organisers.all())
    copy.tags.set(list(event.tags.names()))
    if event.cover_image and event.cover_image.storage.exists(event.cover_image.name):
        # A file of its own, through the one cover service: replacing one event's cover leaves the other's.
        with event.cover_image.open("rb") as source:
            upload = File(BytesIO(source.read()), name=event.cover_image.name.rsplit("/", 1)[-1])
        event_cover_set(event=copy, upload=upload, alt=event.cover_alt)
    if not trusted:
        _mail_moderators(copy)
    return copy


@transaction.atomic
def event_report(*, event: Event, reporter, reason: str) -> EventReport:
    """A member tells staff about a problem with an event; every staff member gets a mail."""
    from members.models import Member

    reason = reason.strip()
    if not reason:
        raise HostError(_("Tell us what is wrong."), code="reason")
    report = EventReport.objects.create(event=event, reporter=reporter, reason=reason)
    for staff in Member.objects.filter(is_active=True, is_staff=True):
        _send(member=staff, template="event_reported", event=event, extra={"reason": reason})
    return report


def hosting_export_for_member(*, member) -> dict:
    """What a member did as a host: the events they proposed or host, the messages they wrote to
    attendees, the reports they made and the co-host invitations sent to their address."""
    return {
        "events_proposed_or_hosted": [
            {
                "event": event.title,
                "event_url": _site_url(event.get_absolute_url()),
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
