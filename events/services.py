"""The rules for events and RSVPs. Views, admin actions, commands and tests all call these.

Every write that touches who is going takes the event row's lock (select_for_update) in the same
transaction that updates the counters on the event, so capacity holds under concurrent requests and
list pages never count RSVPs. Mail is queued in the same transaction (so it exists only if the write
committed) and rendered by its job, in the member's language.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events.models import CalendarToken, Event, Follow, FollowNotification, Rsvp
from otg.common.files import file_save, files_atomic, files_delete_on_commit, stored_files
from otg.common.images import clean_image
from otg.common.jobs import enqueue, enqueue_many
from otg.common.text import clean_line

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


def render_mail(
    *,
    member_id: int,
    event_id: int,
    template: str,
    attach_ics: bool = False,
    extra: dict | None = None,
) -> EmailMessage | None:
    """One mail about an event, in the member's language, from the data as it is now.

    None when it should no longer go out: the member or the event is gone, or the answer it confirms
    has changed since it was queued (a member who cancelled gets no "you are coming").
    """
    from events.calendars import event_calendar

    # Every event mail is about the member's answer: one query reads it with its member and event.
    rsvps = Rsvp.objects.select_related("member", "event").filter(
        event_id=event_id, member_id=member_id, member__is_active=True
    )
    status = STILL_TRUE.get(template)
    rsvp = (rsvps.filter(status=status) if status else rsvps.active()).first()
    if rsvp is None or not rsvp.member.email:
        return None
    member, event = rsvp.member, rsvp.event
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "member": member,
            "event": event,
            "event_url": _site_url(event.get_absolute_url()),
            "my_events_url": _site_url(reverse("events:my-events")),
            **(extra or {}),
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
            message.attach(f"{event.slug}.ics", _calendar_file(event, event_calendar), "text/calendar")
    return message


_calendar_files: dict[tuple, bytes] = {}


def _calendar_file(event: Event, build) -> bytes:
    """The event's .ics, built once per version of the event and language in this process.

    A fan-out sends the same file to every attendee; building it was half of each mail's work. Every
    edit moves updated_at (and a change of time, place or status SEQUENCE), so a changed event gets
    a new file.
    """
    key = (event.pk, event.sequence, event.updated_at, translation.get_language())
    if (calendar := _calendar_files.get(key)) is None:
        if len(_calendar_files) >= 256:
            _calendar_files.clear()
        calendar = _calendar_files[key] = build(event)
    return calendar


def _send(*, member, template: str, event: Event, attach_ics: bool = False, extra: dict | None = None):
    """Queue one mail as ids, inside the caller's transaction; its job renders it (events.tasks).

    The job row commits with the write that causes it, or is rolled back with it: a refused or
    failed RSVP queues nothing, and no crash between a commit and an on-commit hook can lose a
    confirmation. A worker sees the job once the transaction has committed, and the RSVP needs no
    second transaction for it.
    """
    _send_many(members=[member], template=template, event=event, attach_ics=attach_ics, extra=extra)


def _send_many(*, members, template: str, event: Event, attach_ics: bool = False, extra: dict | None = None):
    """``_send`` to each of ``members``, all queued in one statement."""
    from events.tasks import event_mail_send

    enqueue_many(
        event_mail_send,
        [
            {
                "member_id": member.pk,
                "event_id": event.pk,
                "template": template,
                "attach_ics": attach_ics,
                "extra": extra or {},
            }
            for member in members
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
    if locked.status == Event.Status.DRAFT:
        raise RsvpError(_("The event is not published."), code="unpublished")
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
        _send(member=member, template="rsvp_going", event=locked, attach_ics=True)
    else:
        position = locked.waitlist_count
        _send(member=member, template="rsvp_waitlisted", event=locked, extra={"position": position})
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
        _send(member=rsvp.member, template="rsvp_promoted", event=event, attach_ics=True)
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
    rsvps = Rsvp.objects.active().filter(event=event, member__isnull=False).select_related("member")
    _send_many(members=[rsvp.member for rsvp in rsvps], template=template, event=event, attach_ics=True)


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
def event_save(*, event: Event, changed_fields: Iterable[str] = (), now: datetime | None = None) -> Event:
    """Save an event edited in a form (the admin). Counters are never taken from the form.

    A change of time or place raises SEQUENCE and tells everyone who answered; more capacity promotes
    from the waitlist; capacity below the number already going is refused.
    """
    now = now or timezone.now()
    changed = set(changed_fields)
    if event.pk is None:
        event.save()
        if event.status == Event.Status.PUBLISHED:
            _followers_notify_after_commit(event)
        return event
    locked = _lock_event(pk=event.pk)
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
    if significant and event.status == Event.Status.PUBLISHED:
        _notify_attendees(event, "event_changed")
    if "status" in changed and event.status == Event.Status.CANCELLED:
        _notify_attendees(event, "event_cancelled")
    if newly_published:
        _followers_notify_after_commit(event)
    return event


@transaction.atomic
def event_publish(*, event: Event) -> Event:
    locked = _lock_event(pk=event.pk)
    if locked.status == Event.Status.PUBLISHED:
        return locked
    locked.status = Event.Status.PUBLISHED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    _followers_notify_after_commit(locked)
    return locked


@transaction.atomic
def event_cancel(*, event: Event) -> Event:
    """Cancel an event: it stays visible, marked cancelled; everyone who answered is told."""
    locked = _lock_event(pk=event.pk)
    if locked.status == Event.Status.CANCELLED:
        return locked
    locked.status = Event.Status.CANCELLED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
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
            event__start__lte=now + timedelta(days=1),
        )
        .select_related("event", "member")
        .select_for_update(skip_locked=True, of=("self",))
    )
    rsvps = list(due)
    for rsvp in rsvps:
        rsvp.reminder_sent_at = now
        rsvp.save(update_fields=["reminder_sent_at"])
        _send(member=rsvp.member, template="reminder", event=rsvp.event, attach_ics=True)
    return len(rsvps)


# --- Follows: topics and cities a member asked to hear about ------------------------------------


class FollowError(ValidationError):
    """A follow that cannot be made, with a message for the member."""


UNSUBSCRIBE_SALT = "events.follow-unsubscribe"


@transaction.atomic
def follow_create(
    *, member, kind: str, tag_slug: str = "", city: str = "", frequency: str = Follow.Frequency.AT_ONCE
) -> Follow:
    """Follow a topic (by its slug) or a city that events take place in; following again changes only
    how often. Only this, the member's own explicit choice, ever makes a follow."""
    from taggit.models import Tag

    if frequency not in Follow.Frequency.values:
        raise FollowError(_("Choose how often you want to hear about new events."), code="frequency")
    if kind == Follow.Kind.TOPIC:
        tag = Tag.objects.filter(slug=tag_slug).first()
        if tag is None:
            raise FollowError(_("There is no such topic."), code="topic")
        follow, _created = Follow.objects.get_or_create(
            member=member, kind=kind, tag=tag, defaults={"frequency": frequency}
        )
    elif kind == Follow.Kind.CITY:
        city = (city or "").strip()
        known = {known.lower(): known for known in Event.objects.visible().cities()}
        if not city or city.lower() not in known:
            raise FollowError(_("There are no events in that city to follow."), code="city")
        follow = Follow.objects.filter(member=member, kind=kind, city__iexact=city).first()
        if follow is None:
            follow = Follow.objects.create(
                member=member, kind=kind, city=known[city.lower()], frequency=frequency
            )
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


def _followers_notify_after_commit(event: Event) -> None:
    from events.tasks import event_followers_notify

    event_id = event.pk
    transaction.on_commit(lambda: enqueue(event_followers_notify, event_id=event_id))


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
        for member_id in new:
            enqueue(follow_mail_send, member_id=member_id, event_id=event.pk)
    return len(new)


def render_follow_mail(*, member_id: int, event_id: int) -> EmailMessage | None:
    """The "new event" mail to a follower, from the data as it is now; None when it no longer applies
    (the member stopped following, the event was cancelled or withdrawn)."""
    from members.models import Member

    member = Member.objects.filter(pk=member_id, is_active=True).first()
    event = Event.objects.filter(pk=event_id, status=Event.Status.PUBLISHED).first()
    if member is None or event is None or not member.email:
        return None
    follow = (
        Follow.objects.matching(event)
        .filter(member=member, frequency=Follow.Frequency.AT_ONCE)
        .select_related("tag")
        .order_by("kind", "pk")
        .first()
    )
    if follow is None:
        return None
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


def render_follow_digest(*, follow_id: int, event_ids: list[int]) -> EmailMessage | None:
    """The weekly digest of one follow; None when the follow is gone or none of its events still stands."""
    follow = Follow.objects.select_related("member", "tag").filter(pk=follow_id).first()
    if follow is None or not follow.member.is_active or not follow.member.email:
        return None
    events = list(
        Event.objects.filter(pk__in=event_ids, status=Event.Status.PUBLISHED).order_by("start", "pk")
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
