"""RSVPs: answering, changing and cancelling, the waitlist, reminders and the erasure of needs.

Every write that touches who is going takes the event row's lock (event_lock) in the same transaction
that updates the counters on the event, so capacity holds under concurrent requests and list pages
never count RSVPs. Mail is queued in the same transaction (so it exists only if the write committed).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import BooleanField, F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Rsvp
from events.services.mail import REMINDER_LEAD, event_mail_queue

LOCK_NOT_AVAILABLE = "55P03"


ACTIVE_RSVP_CONSTRAINT = "rsvp_one_active_per_member"


class RsvpError(ValidationError):
    """An RSVP that cannot be made or changed, with a message for the member."""


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
    "maybe_count",
    "kind",
)


def event_lock(*, fields: Iterable[str] = (), **lookup) -> Event:
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
    maybe: bool = False,
) -> Rsvp:
    """RSVP "I'm coming": going while there are places, else on the waitlist. Mails a confirmation.

    ``maybe``: "kanske" instead, on a meetup (Event.offers_maybe): it takes no place and mails nothing;
    the member hears of changes and, a day before, whether places are left (rsvp_maybe_invitations_send).

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
            maybe=maybe,
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
    maybe: bool = False,
) -> Rsvp:
    lookup = {"pk": event.pk} if event is not None else {"slug": slug}
    locked = event_lock(fields=RSVP_CREATE_FIELDS, **lookup) if lock else Event.objects.get(**lookup)
    # Taken once the lock is held, so that creation time is the order of arrival at the lock.
    now = now or timezone.now()
    if locked.status not in (Event.Status.PUBLISHED, Event.Status.CANCELLED):
        raise RsvpError(_("The event is not published."), code="unpublished")
    if Rsvp.objects.filter(event=locked, member=member, removed_at__isnull=False).exists():
        raise RsvpError(_("A host has removed you from this event."), code="removed")
    if reason := locked.rsvp_closed_reason(now):
        raise RsvpError(reason, code="closed")
    if maybe:
        if not locked.offers_maybe:
            raise RsvpError(_("This event takes a yes or a no."), code="no-maybe")
        status = Rsvp.Status.MAYBE
        locked.maybe_count += 1
    elif locked.capacity is None or locked.going_count < locked.capacity:
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
    locked.save(update_fields=["going_count", "waitlist_count", "maybe_count"])
    if status == Rsvp.Status.GOING:
        event_mail_queue(rsvp=rsvp, template="rsvp_going", event=locked, attach_ics=True)
    elif status == Rsvp.Status.WAITLISTED:
        event_mail_queue(
            rsvp=rsvp, template="rsvp_waitlisted", event=locked
        )  # its place is read when it is sent
    return rsvp


def waitlist_promote(event: Event, now: datetime) -> list[Rsvp]:
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
        event_mail_queue(rsvp=rsvp, template="rsvp_promoted", event=event, attach_ics=True)
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
    event = event_lock(pk=rsvp.event_id)
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
    event = event_lock(pk=rsvp.event_id)
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    if not rsvp.is_active:
        raise RsvpError(_("This answer is already cancelled."), code="cancelled")
    if now >= event.start and event.status != Event.Status.CANCELLED:
        raise RsvpError(_("The event has started."), code="started")
    was = rsvp.status
    rsvp.status = Rsvp.Status.CANCELLED
    rsvp.cancelled_at = now
    rsvp.save(update_fields=["status", "cancelled_at"])
    answer_counts_release(event, was, now)
    event.save(update_fields=["going_count", "waitlist_count", "maybe_count"])
    return rsvp


def answer_counts_release(event: Event, status: str, now: datetime) -> None:
    """Take a withdrawn answer off the event's counters; a freed place goes to the waitlist. The
    caller holds the event's lock and saves the counters."""
    if status == Rsvp.Status.GOING:
        event.going_count -= 1
        if event.status == Event.Status.PUBLISHED and now < event.start:
            waitlist_promote(event, now)
    elif status == Rsvp.Status.WAITLISTED:
        event.waitlist_count -= 1
    elif status == Rsvp.Status.MAYBE:
        event.maybe_count -= 1


@transaction.atomic
def rsvp_maybe_promote(*, rsvp: Rsvp, now: datetime | None = None, lock: bool = True) -> Rsvp:
    """ "Kanske" becomes "I'm coming", in one step: going while there are places, else the waitlist,
    under the same lock as every RSVP so a maybe cannot take a place that is not there.

    ``lock`` is a test-only control, like rsvp_create's. Never pass it anywhere else.
    """
    event = (
        event_lock(fields=RSVP_CREATE_FIELDS, pk=rsvp.event_id)
        if lock
        else Event.objects.get(pk=rsvp.event_id)
    )
    now = now or timezone.now()
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk) if lock else Rsvp.objects.get(pk=rsvp.pk)
    if rsvp.status != Rsvp.Status.MAYBE:
        raise RsvpError(_("You have already answered for this event."), code="not-maybe")
    if reason := event.rsvp_closed_reason(now):
        raise RsvpError(reason, code="closed")
    event.maybe_count -= 1
    if event.capacity is None or event.going_count < event.capacity:
        rsvp.status = Rsvp.Status.GOING
        event.going_count += 1
    else:
        rsvp.status = Rsvp.Status.WAITLISTED
        event.waitlist_count += 1
    # Its place in the waitlist is from now, behind those who said yes while it was a maybe.
    rsvp.created_at = now
    rsvp.save(update_fields=["status", "created_at"])
    event.save(update_fields=["going_count", "waitlist_count", "maybe_count"])
    if rsvp.status == Rsvp.Status.GOING:
        event_mail_queue(rsvp=rsvp, template="rsvp_going", event=event, attach_ics=True)
    else:
        event_mail_queue(rsvp=rsvp, template="rsvp_waitlisted", event=event)
    return rsvp


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
def rsvp_maybe_invitations_send(*, now: datetime | None = None) -> int:
    """A day before, ask those who said "kanske" to say yes, only while places are left. Once per answer.

    Whether places are still left when the mail goes is asked again by its job (events.services.mail).
    """
    now = now or timezone.now()
    due = (
        Rsvp.objects.maybe()
        .filter(
            maybe_invited_at__isnull=True,
            member__isnull=False,
            event__status=Event.Status.PUBLISHED,
            event__start__gt=now,
            event__start__lte=now + REMINDER_LEAD,
        )
        .filter(Q(event__capacity__isnull=True) | Q(event__going_count__lt=F("event__capacity")))
        .filter(Q(event__rsvp_closes_at__isnull=True) | Q(event__rsvp_closes_at__gt=now))
        .select_related("event", "member")
        .select_for_update(skip_locked=True, of=("self",))
    )
    rsvps = list(due)
    for rsvp in rsvps:
        rsvp.maybe_invited_at = now
        rsvp.save(update_fields=["maybe_invited_at"])
        event_mail_queue(rsvp=rsvp, template="maybe_invitation", event=rsvp.event)
    return len(rsvps)


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
        event_mail_queue(rsvp=rsvp, template="reminder", event=rsvp.event, attach_ics=True)
    return len(rsvps)
