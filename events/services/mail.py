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
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    "proposal_received": Event.Status.PENDING,  # once decided, the decision's own mail says it all
    "proposal_approved": Event.Status.PUBLISHED,
    "proposal_declined": Event.Status.DECLINED,
}


# How long before the start a reminder goes out ("Tomorrow: …"), and so how long before it it still may.
REMINDER_LEAD = timedelta(days=1)


# Mails to hosts, reviewers, staff and removed attendees: not about an answer the member still has.
NOT_ABOUT_AN_ANSWER = {
    "proposal_review",
    "proposal_received",
    "proposal_approved",
    "proposal_declined",
    "change_review",
    "change_approved",
    "change_declined",
    "event_reported",
    "rsvp_removed",
    "host_contact",
}


def start_in_words(start: datetime, now: datetime) -> str:
    """When ``start`` is, in words true at ``now`` in the site's time zone (Europe/Stockholm), in the
    active language: "i dag 10.15", "i morgon 10.15", or the date.

    Worked out when the mail is rendered, never when it was queued: a reminder sent 45 minutes before
    a morning event said "I morgon" (tomorrow).
    """
    zone = timezone.get_default_timezone()
    local = start.astimezone(zone)
    today = now.astimezone(zone).date()
    time = time_format(local)
    if local.date() == today:
        return _("today at %(time)s") % {"time": time}
    if local.date() == today + timedelta(days=1):
        return _("tomorrow at %(time)s") % {"time": time}
    return _("%(date)s, %(time)s") % {"date": date_format(local, "DATE_FORMAT"), "time": time}


def _online_link(event: Event, now: datetime) -> str:
    """Where and when an attendee going to an online or hybrid event finds the link to join (the event
    page shows it from EVENT_ONLINE_LINK_LEAD before the start: events.views.events), or ""."""
    if event.format == Event.Format.ON_SITE or not event.online_url:
        return ""
    lead = settings.EVENT_ONLINE_LINK_LEAD
    if event.online_link_open(now):
        return _("The link to join online is on the event page and under My events now:")
    minutes = int(lead.total_seconds() // 60)
    return ngettext(
        "The link to join online appears on the event page and under My events %(when)s, %(minutes)s minute "
        "before the start:",
        "The link to join online appears on the event page and under My events %(when)s, %(minutes)s minutes "
        "before the start:",
        minutes,
    ) % {"when": start_in_words(event.start - lead, now), "minutes": minutes}


def _at(moment: datetime) -> str:
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return _("%(date)s, %(time)s") % {"date": date_format(local, "DATE_FORMAT"), "time": time_format(local)}


def _times(start: datetime, end: datetime, *, with_date: bool = True) -> str:
    """An event's times as its page says them ("10 mars 2027 kl. 17.00-19.00"), or only the times."""
    zone = timezone.get_default_timezone()
    start, end = start.astimezone(zone), end.astimezone(zone)
    if start.date() != end.date():
        return f"{_at(start)} \u2013 {_at(end)}"
    times = f"{time_format(start)}\u2013{time_format(end)}"
    if not with_date:
        return times
    return _("%(date)s, %(time)s") % {"date": date_format(start, "DATE_FORMAT"), "time": times}


def _place(venue_name: str, address: str, city: str) -> str:
    return ", ".join(clean_line(part) for part in (venue_name, address, city) if part) or _("none")


def event_changes(event: Event, was: dict) -> list[str]:
    """What changed, one line a thing, in the active language: "When: was 17.00-19.00, now 18.00-20.00".

    ``was`` holds the values before the change as the edit recorded them (events.services.events,
    plain JSON); the values now are the event's as it is when the mail is rendered. A thing changed and
    changed back is no change. The online link itself is never written: the notice goes to those on
    the waitlist too, and the page shows the link only to those going, shortly before the start.
    """
    before = {field: getattr(event, field) for field in Event.SIGNIFICANT_FIELDS}
    for field, value in was.items():
        if field in ("start", "end"):
            before[field] = datetime.fromisoformat(value)
        elif field in before:
            before[field] = value
    lines = []
    if (before["start"], before["end"]) != (event.start, event.end):
        zone = timezone.get_default_timezone()
        moments = (before["start"], before["end"], event.start, event.end)
        # All on one day: the times alone, and the day once ("was 17.00-19.00, now 18.00-20.00 (...)").
        same_day = len({moment.astimezone(zone).date() for moment in moments}) == 1
        lines.append(
            _("%(field)s: was %(old)s, now %(new)s")
            % {
                "field": _("Time"),
                "old": _times(before["start"], before["end"], with_date=not same_day),
                "new": _times(event.start, event.end, with_date=not same_day),
            }
        )
        if same_day:
            lines[-1] += f" ({date_format(event.start.astimezone(zone), 'DATE_FORMAT')})"
    if before["format"] != event.format:
        lines.append(
            _("%(field)s: was %(old)s, now %(new)s")
            % {
                "field": _("Format"),
                "old": Event.Format(before["format"]).label,
                "new": event.get_format_display(),
            }
        )
    old_place = _place(before["venue_name"], before["address"], before["city"])
    new_place = _place(event.venue_name, event.address, event.city)
    if old_place != new_place:
        lines.append(
            _("%(field)s: was %(old)s, now %(new)s")
            % {"field": _("Place"), "old": old_place, "new": new_place}
        )
    if before["online_url"] != event.online_url:
        lines.append(_("The link to join online has changed."))
    return [str(line) for line in lines]


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
    reply_to = _reply_to(extra)
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "member": member,
            "event": event,
            "event_url": site_url(event.get_absolute_url()),
            "my_events_url": site_url(reverse("events:my-events")),
            "host_url": site_url(reverse("events:host-edit", args=[event.slug])),
            "review_url": site_url(reverse("events:review-list")),
            "contact_url": site_url(reverse("events:host-contact", args=[event.slug])),
            **(extra or {}),
            **answer,
            "reply_to": reply_to,  # what the mail may promise about answering it
        }
        if template == "reminder":
            context["start_in_words"] = start_in_words(event.start, now)
            context["online_link"] = _online_link(event, now)
        changes = []
        if template == "event_changed" and "was" in (extra or {}):
            changes = context["changes"] = event_changes(event, extra["was"])
            if not changes:
                return None  # changed back before the mail went: nothing to tell
        subject = render_to_string(f"events/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"events/email/{template}.txt", context)
        message = EmailMessage(
            # A line break in a header is a new header: fold it, whatever the event's title holds.
            subject=clean_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject),
            body=body,
            to=[member.email],
        )
        if reply_to:
            message.reply_to = [reply_to]
        if attach_ics:
            message.attach(f"{event.slug}.ics", _calendar_file(event, version, changes), "text/calendar")
    return message


def _reply_to(extra: dict | None) -> str:
    """The address a host chose to receive replies at, as it is now ("" when none, or they are gone)."""
    member_id = (extra or {}).get("reply_to_member_id")
    if not member_id:
        return ""
    return Member.objects.filter(pk=member_id, is_active=True).values_list("email", flat=True).first() or ""


def _calendar_file(event: Event, version: str, changes: list[str] = ()) -> bytes:
    """The event's .ics, built once per generation of events (``version``, otg.common.caching) and
    language in this worker.

    A fan-out sends the same file to every attendee; building it was half of each mail's work. Every
    write to an event retires its generation on commit, a write with update() too, so a changed event
    gets a new file: never a key made of updated_at or SEQUENCE, which a write can leave where they were.
    """
    key = fragment_key("event-ics", event.pk, version, translation.get_language(), *changes)
    return cached(key, lambda: event_calendar(event, note="\n".join(changes)))


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
