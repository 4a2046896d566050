"""Members host events: proposals and their review, co-hosts, messages to attendees, the door, reports."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from io import BytesIO

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from events.models import RESERVED_SLUGS, CohostInvite, Event, EventMessage, EventReport, Rsvp
from events.services.events import event_cover_set, event_save
from events.services.follows import followers_notify_queue
from events.services.mail import event_mail_queue, site_url
from events.services.rsvps import answer_counts_release, event_lock
from members.models import Member
from otg.common.text import clean_line


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
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "evenemang"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _lock_member(member) -> None:
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
    permission = Permission.objects.filter(
        content_type__app_label="events", codename="moderate_event"
    ).first()
    who = Q(is_staff=True)
    if permission is not None:  # without its row, a filter on None would match everyone with no group
        who |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    reviewers = Member.objects.filter(is_active=True).filter(who)
    for reviewer in reviewers.distinct():
        event_mail_queue(member=reviewer, template="proposal_review", event=event)


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
    locked = event_lock(pk=event.pk)
    if locked.status != Event.Status.DECLINED:
        raise HostError(_("Only a declined proposal can be sent again."), code="status")
    locked.status = Event.Status.PUBLISHED if is_trusted_host(member) else Event.Status.PENDING
    locked.save(update_fields=["status", "updated_at"])
    if locked.status == Event.Status.PENDING:
        _mail_moderators(locked)
    else:
        followers_notify_queue(locked)
    return locked


@transaction.atomic
def event_approve(*, event: Event, reviewer) -> Event:
    """Publish a proposal; its host is told."""
    locked = event_lock(pk=event.pk)
    if locked.status != Event.Status.PENDING:
        raise HostError(_("This proposal has already been reviewed."), code="status")
    locked.status = Event.Status.PUBLISHED
    locked.review_message = ""
    locked.sequence += 1
    locked.save(update_fields=["status", "review_message", "sequence", "updated_at"])
    event_mail_queue(member=locked.proposed_by, template="proposal_approved", event=locked)
    followers_notify_queue(locked)  # as event_publish: followers of its topics and city are told
    return locked


@transaction.atomic
def event_decline(*, event: Event, reviewer, message: str) -> Event:
    """Send a proposal back with a message; the host can edit it and send it again."""
    message = message.strip()
    if not message:
        raise HostError(_("Tell the host why, so they can improve the proposal."), code="message")
    locked = event_lock(pk=event.pk)
    if locked.status != Event.Status.PENDING:
        raise HostError(_("This proposal has already been reviewed."), code="status")
    locked.status = Event.Status.DECLINED
    locked.review_message = message
    locked.save(update_fields=["status", "review_message", "updated_at"])
    event_mail_queue(
        member=locked.proposed_by, template="proposal_declined", event=locked, extra={"message": message}
    )
    return locked


@transaction.atomic
def cohost_invite(*, event: Event, email: str, invited_by) -> CohostInvite:
    """Invite someone by email to host the event too; they accept from the link in the mail."""
    email = email.strip()
    if event.organisers.filter(email__iexact=email).exists():
        raise HostError(_("This person already hosts the event."), code="already")
    invite = CohostInvite.objects.create(event=event, email=email, invited_by=invited_by)
    url = site_url(reverse("events:cohost-accept", args=[invite.token]))
    # In the invited member's language; someone not yet a member gets the inviter's.

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
    # send_mail only queues it (otg.jobs.mail.QueueBackend), in this transaction: the invitation and its
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
    locked = event_lock(pk=event.pk)
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
        event_mail_queue(
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
    event = event_lock(pk=rsvp.event_id)
    rsvp = Rsvp.objects.select_for_update(of=("self",)).select_related("member").get(pk=rsvp.pk)
    if not rsvp.is_active:
        raise HostError(_("This person is not on the list any more."), code="inactive")
    was = rsvp.status
    rsvp.status = Rsvp.Status.CANCELLED
    rsvp.cancelled_at = now
    rsvp.removed_at = now
    rsvp.save(update_fields=["status", "cancelled_at", "removed_at"])
    answer_counts_release(event, was, now)
    event.save(update_fields=["going_count", "waitlist_count", "maybe_count", "updated_at"])
    event_mail_queue(
        member=rsvp.member, template="rsvp_removed", event=event, extra={"reason": reason.strip()}
    )
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
    reason = reason.strip()
    if not reason:
        raise HostError(_("Tell us what is wrong."), code="reason")
    report = EventReport.objects.create(event=event, reporter=reporter, reason=reason)
    for staff in Member.objects.filter(is_active=True, is_staff=True):
        event_mail_queue(member=staff, template="event_reported", event=event, extra={"reason": reason})
    return report
