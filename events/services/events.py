"""Events: saving an edit (and telling those who answered), publishing, cancelling, the cover image."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, EventSeries, Rsvp
from events.services.follows import followers_notify_queue
from events.services.mail import REMINDER_LEAD, event_mail_queue_many
from events.services.rsvps import RsvpError, event_lock, waitlist_promote
from otg.common.files import file_save, files_atomic, files_delete_on_commit, stored_files
from otg.common.images import clean_image
from otg.jobs.queue import jobs_take


def _notify_attendees(event: Event, template: str, *, was: dict | None = None) -> None:
    extra = {}
    if template == "event_changed":
        # A change notice still waiting would say what this one says (each is rendered from the event
        # as it is when sent): the new one replaces it, so a second edit before the worker ran does not
        # send everyone the same notice twice. One a worker is sending right now is left to it. What it
        # recorded as the values before is what the attendees last heard: the new notice keeps that.
        replaced = jobs_take(
            where="status = 'todo' AND task_name = 'event_mail_send' AND args->>'template' = 'event_changed'"
            " AND args->>'event_id' = %s",
            params=[str(event.pk)],
        )
        earlier = {}
        for args in replaced:
            earlier.update((args.get("extra") or {}).get("was") or {})
        extra = {"was": {**(was or {}), **earlier}}
    rsvps = Rsvp.objects.active().filter(event=event, member__isnull=False).select_related("member")
    event_mail_queue_many(rsvps=rsvps, template=template, event=event, attach_ics=True, extra=extra)


def _plain(value) -> str:
    """A field's value as a job may hold it (plain JSON): times as ISO 8601, the rest as text."""
    return value.isoformat() if isinstance(value, datetime) else str(value or "")


@transaction.atomic
def event_edit_lock(*, event: Event, capacity: int | None) -> Event:
    """Lock the event for the rest of the caller's transaction and refuse a capacity below those going.

    The admin's form calls it from clean(): no RSVP can come between this check and event_save, so a
    refused change is a form error and nothing of it is stored. Raises RsvpError.
    """
    locked = event_lock(pk=event.pk)
    if capacity is not None and capacity < locked.going_count:
        raise RsvpError(
            _("%(going)s people are already going: the capacity cannot be lower than that.")
            % {"going": locked.going_count},
            code="capacity",
        )
    return locked


def series_date_publishable(event: Event) -> None:
    """Refuse to publish one date of a series that waits for review or was declined: the series is
    decided whole (series_approve). Published alone, the date was public while its series was not (the
    series' page, which the date links to, a 404 to visitors), and its host heard nothing."""
    if event.series_id is not None and event.series.status != EventSeries.Status.PUBLISHED:
        raise ValidationError(
            _("This date is reviewed with its series: approve its series instead."), code="series"
        )


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
        if event.status == Event.Status.PUBLISHED:
            series_date_publishable(event)
        event.save()
        if event.status == Event.Status.PUBLISHED:
            followers_notify_queue(event)
        return event
    locked = event_lock(pk=event.pk) if lock else event
    newly_published = locked.status != Event.Status.PUBLISHED and event.status == Event.Status.PUBLISHED
    if newly_published:
        series_date_publishable(locked)
    if event.capacity is not None and event.capacity < locked.going_count:
        raise RsvpError(
            _("%(going)s people are already going: the capacity cannot be lower than that.")
            % {"going": locked.going_count},
            code="capacity",
        )
    event.going_count = locked.going_count
    event.waitlist_count = locked.waitlist_count
    event.maybe_count = locked.maybe_count
    event.sequence = locked.sequence
    significant = changed & set(Event.SIGNIFICANT_FIELDS)
    # The values before the change, from the row as it is stored: the notice says "was ..., now ...".
    was = {field: _plain(getattr(locked, field)) for field in sorted(significant)}
    if significant or "status" in changed:
        event.sequence += 1
    event.save()
    if event.status == Event.Status.PUBLISHED and now < event.start:
        waitlist_promote(event, now)
        event.save(update_fields=["going_count", "waitlist_count", "maybe_count"])
    if "start" in changed and event.start > now + REMINDER_LEAD:
        # Moved out of the reminders' window: the reminder already sent (or queued, which its job now
        # drops) was about the old day. Within the window the change notice is the reminder.
        Rsvp.objects.filter(event=event, reminder_sent_at__isnull=False).update(reminder_sent_at=None)
        Rsvp.objects.filter(event=event, maybe_invited_at__isnull=False).update(maybe_invited_at=None)
    if significant and event.status == Event.Status.PUBLISHED:
        _notify_attendees(event, "event_changed", was=was)
    if "status" in changed and event.status == Event.Status.CANCELLED:
        _notify_attendees(event, "event_cancelled")
    if newly_published:
        followers_notify_queue(event)
    return event


@transaction.atomic
def event_publish(*, event: Event) -> Event:
    locked = event_lock(pk=event.pk)
    if locked.status == Event.Status.PUBLISHED:
        return locked
    series_date_publishable(locked)
    locked.status = Event.Status.PUBLISHED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    followers_notify_queue(locked)
    return locked


@transaction.atomic
def event_cancel(*, event: Event, message: str = "") -> Event:
    """Cancel an event: it stays visible, marked cancelled; everyone who answered is told (with the
    host's message, when there is one)."""
    locked = event_lock(pk=event.pk)
    if locked.status == Event.Status.CANCELLED:
        return locked
    locked.status = Event.Status.CANCELLED
    locked.cancel_message = message.strip()
    locked.sequence += 1
    locked.save(update_fields=["status", "cancel_message", "sequence", "updated_at"])
    _notify_attendees(locked, "event_cancelled")
    return locked


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
