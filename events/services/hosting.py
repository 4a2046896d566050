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

from events.models import (
    RESERVED_SLUGS,
    CohostInvite,
    Event,
    EventChange,
    EventMessage,
    EventReport,
    HostContact,
    Rsvp,
)
from events.services.events import event_cover_set, event_save
from events.services.follows import followers_notify_queue
from events.services.mail import event_mail_queue, site_url
from events.services.rsvps import answer_counts_release, event_lock
from members.models import Member
from otg.common.text import clean_line, normalise_email, normalise_line, normalise_text


class HostError(ValidationError):
    """A host or proposal action that cannot be done, with a message for the member."""


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
    """At most EVENT_PROPOSALS_PER_DAY proposals per member in 24 hours (a series of dates is one,
    Event.objects.proposed_since), counted under the member's row lock so that two requests at once
    cannot both pass."""
    _lock_member(member)
    made = Event.objects.proposed_since(member, now - timedelta(days=1)).count()
    if made >= settings.EVENT_PROPOSALS_PER_DAY:
        raise HostError(
            _("You can propose at most %(limit)s events a day. Please try again tomorrow.")
            % {"limit": settings.EVENT_PROPOSALS_PER_DAY},
            code="rate",
        )


def review_message(message: str) -> str:
    """A reviewer's message to a host, as every stored text is (NFC, no NUL, no bidi controls), for the
    date's page and the mail alike; refused when it shows nothing (empty, spaces, invisible characters).
    Here, not only in the form: a series' decline reaches its dates with update(), which no model save
    normalises, and the shell or a command passes no form."""
    message = normalise_text(message or "").strip()
    if not normalise_line(message):
        raise HostError(_("Tell the host why, so they can improve the proposal."), code="message")
    return message


def _mail_moderators(event: Event, template: str = "proposal_review") -> None:
    """Tell staff and organisers that a proposal (or a change) waits for them (one mail to each)."""
    permission = Permission.objects.filter(
        content_type__app_label="events", codename="moderate_event"
    ).first()
    who = Q(is_staff=True)
    if permission is not None:  # without its row, a filter on None would match everyone with no group
        who |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    reviewers = Member.objects.filter(is_active=True).filter(who)
    for reviewer in reviewers.distinct():
        event_mail_queue(member=reviewer, template=template, event=event)


@transaction.atomic
def event_propose(
    *, event: Event, member, trusted: bool = False, tags: Iterable[str] = (), now: datetime | None = None
) -> Event:
    """A member proposes an event from the site: a trusted host's publishes at once, others wait for review
    (the reviewers are mailed, and the proposer gets a receipt).

    ``trusted`` is asked of events.permissions.is_trusted_host by the caller (it knows the session).

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
    event.status = Event.Status.PUBLISHED if trusted else Event.Status.PENDING
    event_save(event=event)  # a trusted host's event is published: its followers are told (event_save)
    Event.objects.filter(pk=event.pk).update(created_at=now)
    event.organisers.add(member)
    if tags:
        event.tags.set(list(tags))
    if not trusted:
        _mail_moderators(event)
        event_mail_queue(member=member, template="proposal_received", event=event)
    return event


def _format_for(event: Event) -> str:
    """A place, an online link or both, as the host's form decides it (events.forms.EventHostForm)."""
    place, online = bool(event.address or event.city), bool(event.online_url)
    if place and online:
        return Event.Format.HYBRID
    return Event.Format.ONLINE if online else Event.Format.ON_SITE


@transaction.atomic
def event_host_save(
    *, event: Event, changed_fields: Iterable[str], member, trusted: bool, now: datetime | None = None
) -> tuple[Event, EventChange | None]:
    """Save an event a host edited on the site (``event`` holds the form's values), through event_save.

    Once the event is public, a host who is not ``trusted`` (the view asks) cannot change its public
    text or online link (Event.REVIEWED_FIELDS) alone: those changes wait for a moderator as an
    EventChange, which replaces any earlier one, and the approved version stays live; attendees hear
    of them only once approved. Everything else (time, place, capacity) is saved at once as before.
    Returns the saved event and the change now waiting, if any.
    """
    now = now or timezone.now()
    changed = set(changed_fields)
    live = event_lock(pk=event.pk)
    if trusted or live.status not in (Event.Status.PUBLISHED, Event.Status.CANCELLED):
        EventChange.objects.filter(event=live).delete()  # what is saved now supersedes it
        return event_save(event=event, changed_fields=changed, now=now), None
    # Compared with the row, not the form: the form shows the change waiting, not the live text.
    proposed = {name: getattr(event, name) for name in Event.REVIEWED_FIELDS}
    held = {name for name, value in proposed.items() if value != getattr(live, name)}
    for name in Event.REVIEWED_FIELDS:
        setattr(event, name, getattr(live, name))
    event.format = _format_for(event)  # from the place as edited and the link still live
    saved = event_save(event=event, changed_fields=changed - set(Event.REVIEWED_FIELDS), now=now)
    if not held:
        EventChange.objects.filter(event=live).delete()  # the host went back to the approved text
        return saved, None
    change, _created = EventChange.objects.update_or_create(
        event=live, defaults={**proposed, "proposed_by": member, "created_at": now}
    )
    _mail_moderators(saved, template="change_review")
    return saved, change


@transaction.atomic
def event_change_approve(*, event: Event, reviewer, now: datetime | None = None) -> Event:
    """Publish the change a host made to a public event; attendees are told of a new online link
    (event_save), and the host that it is live."""
    locked = event_lock(pk=event.pk)
    change = EventChange.objects.select_for_update().filter(event=locked).first()
    if change is None:
        raise HostError(_("This change has already been reviewed."), code="status")
    changed = {name for name in Event.REVIEWED_FIELDS if getattr(change, name) != getattr(locked, name)}
    for name in Event.REVIEWED_FIELDS:
        setattr(locked, name, getattr(change, name))
    if locked.format != _format_for(locked):
        locked.format = _format_for(locked)
        changed.add("format")
    proposer = change.proposed_by
    change.delete()
    saved = event_save(event=locked, changed_fields=changed, now=now)
    if proposer is not None:
        event_mail_queue(member=proposer, template="change_approved", event=saved)
    return saved


@transaction.atomic
def event_change_decline(*, event: Event, reviewer, message: str) -> Event:
    """Discard the change a host made to a public event, telling them why; the event stays as it is."""
    message = review_message(message)
    locked = event_lock(pk=event.pk)
    change = EventChange.objects.select_for_update().filter(event=locked).first()
    if change is None:
        raise HostError(_("This change has already been reviewed."), code="status")
    proposer = change.proposed_by
    change.delete()
    if proposer is not None:
        event_mail_queue(
            member=proposer, template="change_declined", event=locked, extra={"message": message}
        )
    return locked


@transaction.atomic
def event_resubmit(*, event: Event, member, trusted: bool = False) -> Event:
    """A declined proposal, edited, goes back to the review queue."""
    locked = event_lock(pk=event.pk)
    if locked.status != Event.Status.DECLINED:
        raise HostError(_("Only a declined proposal can be sent again."), code="status")
    locked.status = Event.Status.PUBLISHED if trusted else Event.Status.PENDING
    locked.save(update_fields=["status", "updated_at"])
    if locked.status == Event.Status.PENDING:
        _mail_moderators(locked)
        event_mail_queue(member=member, template="proposal_received", event=locked)
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
    message = review_message(message)
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
def cohost_invite(*, event: Event, email: str, invited_by, now: datetime | None = None) -> CohostInvite:
    """Invite someone by email to host the event too; they accept from the link in the mail.

    At most COHOST_INVITES_PER_DAY per event in 24 hours, counted under the event's lock. A new
    invitation to an address replaces the open one to it: the older link stops working.
    """
    now = now or timezone.now()
    email = normalise_email(email)  # as stored and as allauth compares: NFC, lowercase
    locked = event_lock(pk=event.pk)
    hosts = locked.organisers.all()
    if (
        hosts.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(user__in=hosts, email__iexact=email).exists()
    ):
        raise HostError(_("This person already hosts the event."), code="already")
    sent = CohostInvite.objects.filter(event=locked, created_at__gt=now - timedelta(days=1)).count()
    if sent >= settings.COHOST_INVITES_PER_DAY:
        raise HostError(
            _("At most %(limit)s invitations a day can be sent for one event. Please try again tomorrow.")
            % {"limit": settings.COHOST_INVITES_PER_DAY},
            code="rate",
        )
    CohostInvite.objects.open().filter(event=locked, email__iexact=email).update(replaced_at=now)
    invite = CohostInvite.objects.create(event=locked, email=email, invited_by=invited_by, created_at=now)
    url = site_url(reverse("events:cohost-accept", args=[invite.token]))
    # In the invited member's language; someone not yet a member gets the inviter's.

    invited = Member.objects.filter(email__iexact=email).only("preferred_language").first()
    language = (
        getattr(invited, "preferred_language", "")
        or getattr(invited_by, "preferred_language", "")
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        context = {"event": locked, "inviter": invited_by, "url": url, "expires_at": invite.expires_at}
        subject = render_to_string("events/email/cohost_invite_subject.txt", context).strip()
        body = render_to_string("events/email/cohost_invite.txt", context)
    # send_mail only queues it (otg.jobs.mail.QueueBackend), in this transaction: the invitation and its
    # mail commit together. The subject is folded to one line.
    send_mail(clean_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject), body, None, [email])
    return invite


def cohost_invite_refusal(*, invite: CohostInvite, member, now: datetime | None = None) -> HostError | None:
    """Why this member cannot accept this invitation now, or None when they can.

    The link alone is not enough: a forwarded or mistyped invitation would give someone else every
    attendee's needs. Only the member who has the invited address verified may accept it.
    """
    now = now or timezone.now()
    if invite.accepted_at is not None:
        return HostError(_("This invitation has already been accepted."), code="used")
    if invite.replaced_at is not None:
        return HostError(
            _("A newer invitation has been sent to this address. Use the link in the latest email."),
            code="replaced",
        )
    if now >= invite.expires_at:
        return HostError(
            _("This invitation has expired. Ask a host of the event to send you a new one."), code="expired"
        )
    if not EmailAddress.objects.filter(user=member, email__iexact=invite.email, verified=True).exists():
        return HostError(
            _(
                "This invitation was sent to another email address than the ones confirmed on your account. "
                "Sign in with the account that has that address, or add the address to your account and "
                "confirm it, and then open the link again."
            ),
            code="address",
        )
    if invite.event.organisers.filter(pk=member.pk).exists():
        return HostError(_("You already host this event."), code="already")
    return None


@transaction.atomic
def cohost_accept(*, token: str, member, now: datetime | None = None) -> Event:
    """The invited member becomes a host of the event: the same rights as the one who invited them.

    Refused (HostError) unless the invitation is open, not expired, and sent to an address the member
    has verified (cohost_invite_refusal).
    """
    now = now or timezone.now()
    invite = CohostInvite.objects.select_for_update().select_related("event").filter(token=token).first()
    if invite is None:
        raise HostError(_("This invitation has been used or is no longer valid."), code="invalid")
    if invite.event.organisers.filter(pk=member.pk).exists():
        # Already a host: the same link accepted twice (a double click), or a second host's invitation to
        # another of their addresses. The first made them a host; so is the answer, and nothing changes.
        return invite.event
    refusal = cohost_invite_refusal(invite=invite, member=member, now=now)
    if refusal is not None:
        raise refusal
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
    *,
    event: Event,
    author,
    audience: str,
    subject: str,
    body: str,
    reply_to_author: bool = False,
    now: datetime | None = None,
) -> EventMessage:
    """A host writes to those going, waiting or both: logged on the event, EVENT_MESSAGES_PER_DAY per
    event in 24 hours, one queued mail per member saying who wrote it and why they receive it.

    Replies reach the author's address only when they chose it (``reply_to_author``: every recipient
    then sees it); otherwise the mail says how to reach the hosts through the site."""
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
        reply_to_author=reply_to_author,
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
                # An id, not the address: the job reads the author's address as it is when it runs.
                "reply_to_member_id": author.pk if reply_to_author else None,
            },  # why the member receives it (going or waiting) is read when it is sent
        )
    return message


# A member's messages to hosts in 24 hours, of every event: enough for questions, too few for a campaign.
HOST_CONTACTS_PER_DAY = 3


@transaction.atomic
def event_hosts_write(*, event: Event, member, body: str, now: datetime | None = None) -> HostContact:
    """A member writes to the hosts of an event: one mail to each host, in the host's language, with
    the member's address as Reply-To (the form says so), so the hosts can answer. The text is not kept.

    Refused without a verified address, and past HOST_CONTACTS_PER_DAY in 24 hours (counted under the
    member's row lock, as proposals are)."""
    now = now or timezone.now()
    body = body.strip()
    if not body:
        raise HostError(_("Write what you want to ask or tell the hosts."), code="body")
    if not has_verified_email(member):
        raise HostError(_("Verify your email address before you write to the hosts."), code="unverified")
    _lock_member(member)
    sent = HostContact.objects.filter(sender=member, created_at__gte=now - timedelta(days=1)).count()
    if sent >= HOST_CONTACTS_PER_DAY:
        raise HostError(
            _("You can write to hosts at most %(limit)s times a day. Please try again tomorrow.")
            % {"limit": HOST_CONTACTS_PER_DAY},
            code="rate",
        )
    contact = HostContact.objects.create(event=event, sender=member, created_at=now)
    for host in event.organisers.filter(is_active=True).exclude(pk=member.pk):
        event_mail_queue(
            member=host,
            template="host_contact",
            event=event,
            extra={"body": body, "sender": member.name, "reply_to_member_id": member.pk},
        )
    return contact


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
def event_repeat(*, event: Event, start: datetime, member, trusted: bool = False) -> Event:
    """ "Arrangera igen": a copy of the event on a new date, in one step, with the same hosts and topics.

    The copy publishes at once for a trusted host, staff or a reviewer; otherwise it waits for review
    and counts against the daily proposal limit like any proposal. Nobody's answer is copied.
    ``trusted`` is asked of events.permissions by the caller.
    """
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
        event_mail_queue(member=member, template="proposal_received", event=copy)
    return copy


@transaction.atomic
def event_report(*, event: Event, reporter, reason: str) -> EventReport:
    """A member tells staff about a problem with an event; every staff member gets a mail.

    One open (unhandled) report per member and event, and EVENT_REPORTS_PER_DAY per member in 24 hours:
    each report mails every staff member.
    """
    reason = reason.strip()
    if not reason:
        raise HostError(_("Tell us what is wrong."), code="reason")
    # Under the member's row lock, so that two requests at once cannot both pass either check.
    _lock_member(reporter)
    if EventReport.objects.filter(event=event, reporter=reporter, handled_at__isnull=True).exists():
        raise HostError(
            _("You have already reported this event. Staff will look at your report."), code="already"
        )
    now = timezone.now()
    made = EventReport.objects.filter(reporter=reporter, created_at__gt=now - timedelta(days=1)).count()
    if made >= settings.EVENT_REPORTS_PER_DAY:
        raise HostError(
            _(
                "You can send at most %(limit)s reports a day. Please try again tomorrow, "
                "or write to %(contact)s."
            )
            % {"limit": settings.EVENT_REPORTS_PER_DAY, "contact": settings.CONTACT_EMAIL},
            code="rate",
        )
    report = EventReport.objects.create(event=event, reporter=reporter, reason=reason, created_at=now)
    for staff in Member.objects.filter(is_active=True, is_staff=True):
        event_mail_queue(member=staff, template="event_reported", event=event, extra={"reason": reason})
    return report
