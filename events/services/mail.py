"""Event mail: queued as ids in the write's transaction, rendered by its job from the data as it is then.

A mail says what is still true when its job runs (a worker that is behind, or an SMTP outage retried
for hours, runs a job long after it was queued), in the member's language (events.tasks).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from events.calendars import event_calendar
from events.models import Event, Rsvp
from members.models import Member
from otg.common.caching import cached, fragment_key, generations, kept_reads
from otg.common.text import clean_line
from otg.jobs.queue import enqueue_many


def site_url(path: str) -> str:
    return settings.SITE_URL + path


# What a mail says must still be true when its job runs: "you are coming" only to a member who is
# still going, "you are on the waitlist" only to one still waiting.
STILL_TRUE = {
    "rsvp_going": Rsvp.Status.GOING,
    "rsvp_promoted": Rsvp.Status.GOING,
    "reminder": Rsvp.Status.GOING,
    "rsvp_waitlisted": Rsvp.Status.WAITLISTED,
    "maybe_invitation": Rsvp.Status.MAYBE,
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
    "maybe_invitation": Event.Status.PUBLISHED,
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
    if template == "maybe_invitation":  # "places are left": only while they are, and one can still say yes
        return (
            now < event.start <= now + REMINDER_LEAD
            and not event.is_full
            and not event.rsvp_closed_reason(now)
        )
    if template in STILL_TRUE or template == "event_changed":
        return now < event.end  # a confirmation or change notice about an event that is over is noise
    return True


# Read from the primary from the generations on, as a kept page is: the .ics is kept under them.
@kept_reads()
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
            "event_url": site_url(event.get_absolute_url()),
            "my_events_url": site_url(reverse("events:my-events")),
            "host_url": site_url(reverse("events:host-edit", args=[event.slug])),
            "review_url": site_url(reverse("events:review-list")),
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
            message.attach(f"{event.slug}.ics", _calendar_file(event, version), "text/calendar")
    return message


def _calendar_file(event: Event, version: str) -> bytes:
    """The event's .ics, built once per generation of events (``version``, otg.common.caching) and
    language in this worker.

    A fan-out sends the same file to every attendee; building it was half of each mail's work. Every
    write to an event retires its generation on commit, a write with update() too, so a changed event
    gets a new file: never a key made of updated_at or SEQUENCE, which a write can leave where they were.
    """
    key = fragment_key("event-ics", event.pk, version, translation.get_language())
    return cached(key, lambda: event_calendar(event))


def event_mail_queue(
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
    event_mail_queue_many(
        template=template,
        event=event,
        members=[member] if member is not None else [],
        rsvps=[rsvp] if rsvp is not None else [],
        attach_ics=attach_ics,
        extra=extra,
    )


def event_mail_queue_many(
    *,
    template: str,
    event: Event,
    members: Iterable = (),
    rsvps: Iterable[Rsvp] = (),
    attach_ics: bool = False,
    extra: dict | None = None,
):
    """``event_mail_queue`` to each of ``members`` and about each of ``rsvps``, queued in one statement."""
    recipients = [(member, None) for member in members] + [(rsvp.member, rsvp.pk) for rsvp in rsvps]
    enqueue_many(
        "event_mail_send",
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
