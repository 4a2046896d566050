"""The open-space board of an unconference: members propose and want sessions; hosts define rooms and
slots and place sessions (by hand or from a suggestion). Publishing the schedule and telling who wants
what is events.services.schedule.

Mail goes through the job queue as ids (``session_mail_send`` in events.tasks), rendered when it runs in
the member's language, from the schedule as it is then.
"""

import re
import unicodedata
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from events import suggest
from events.models import (
    Event,
    Placement,
    Room,
    Rsvp,
    Schedule,
    Session,
    SessionInterest,
    SessionInvite,
    Slot,
)
from events.services.hosting import has_verified_email
from events.services.mail import site_url
from members.models import Member
from otg.common.text import (
    INVISIBLE,
    ZERO_WIDTH_JOINERS,
    clean_line,
    clean_text,
    normalise_name,
    normalise_text,
)
from otg.jobs.queue import enqueue_many


class SessionError(ValidationError):
    """A board action that cannot be done, with a message for the member."""


def _open_board(event: Event, now: datetime) -> None:
    if event.kind != Event.Kind.UNCONFERENCE:
        raise SessionError(_("Only an unconference has sessions."), code="kind")
    if event.status != Event.Status.PUBLISHED:
        raise SessionError(_("The event is not open for sessions."), code="status")
    if now > event.end:
        raise SessionError(_("The event is over."), code="over")


def _valid(session: Session) -> None:
    """The model's own limits (the pitch's 500 characters) for every path, not only the form."""
    try:
        session.full_clean(exclude=["event", "proposer"])
    except ValidationError as error:
        raise SessionError(error.messages, code="invalid") from None


def _normalised(*, title: str, pitch: str) -> tuple[str, str]:
    """A title and a pitch as stored, however they were typed or pasted (NFC, no control or bidi
    characters, a title on one line): the same for every path, the form's or any other."""
    try:
        return normalise_name(title or ""), (normalise_text(pitch or "") or "").strip()
    except ValidationError as error:
        raise SessionError(error.messages, code="invalid") from None


# --- Propose, edit, invite, hide ------------------------------------------------------------------


@transaction.atomic
def session_propose(
    *,
    event: Event,
    member,
    title: str,
    pitch: str,
    format: str = Session.Format.DISCUSSION,
    chatham_house: bool = False,
    now: datetime | None = None,
) -> Session:
    """A member with a verified address proposes a session, before the event or during it."""
    now = now or timezone.now()
    _open_board(event, now)
    if not has_verified_email(member):
        raise SessionError(_("Verify your email address before you propose a session."), code="unverified")
    title, pitch = _normalised(title=title, pitch=pitch)
    session = Session(
        event=event,
        proposer=member,
        title=title,
        pitch=pitch,
        format=format,
        chatham_house=chatham_house,
        created_at=now,
    )
    _valid(session)
    session.save()
    return session


@transaction.atomic
def session_edit(
    *,
    session: Session,
    title: str,
    pitch: str,
    format: str,
    chatham_house: bool,
    now: datetime | None = None,
) -> Session:
    """A proposer (or a host) changes what the session is: its title, pitch, format and whether it is
    held under the Chatham House rule. A hidden session stays hidden.

    A new title of a session in a published schedule is a change the members have not been told: the
    schedule is marked changed, as a move marks it, so that the hosts' "send the changes" includes it.
    """
    now = now or timezone.now()
    # Only the session's row: the event's lock is the RSVPs', which an edit has no need to wait for.
    session = Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)
    _open_board(session.event, now)
    before = session.title
    fields = ("title", "pitch", "format", "chatham_house")
    stored = tuple(getattr(session, name) for name in fields)
    session.title, session.pitch = _normalised(title=title, pitch=pitch)
    session.format, session.chatham_house = format, chatham_house
    if tuple(getattr(session, name) for name in fields) == stored:
        return session  # nothing changed: no news for the pages, the schedule or a calendar
    _valid(session)
    if session.chatham_house and (named := _named_in(session.notes, _participant_names(session))):
        raise SessionError(
            _("This session is held under the Chatham House rule: the notes may not name %(names)s.")
            % {"names": ", ".join(named)},
            code="chatham",
        )
    if stored[3] and not session.chatham_house and _has_begun(session, now):
        # Those who spoke were promised not to be named: lifting the rule afterwards breaks it.
        raise SessionError(
            _(
                "This session has begun under the Chatham House rule: those who took part were promised "
                "not to be named, so the rule cannot be lifted now."
            ),
            code="chatham-begun",
        )
    session.edited_at = now
    session.save(update_fields=[*fields, "edited_at"])
    if (
        session.title != before
        and not session.is_hidden
        and Placement.objects.filter(session=session).exists()
    ):
        _schedule_touched(session.event_id, now)
    return session


def _has_begun(session: Session, now: datetime) -> bool:
    return Placement.objects.filter(session=session, slot__starts__lte=now).exists()


def is_proposer(user, session: Session) -> bool:
    if not user.is_authenticated:
        return False
    return session.proposer_id == user.pk or session.co_proposers.filter(pk=user.pk).exists()


@transaction.atomic
def session_invite(*, session: Session, email: str, invited_by) -> SessionInvite:
    """Invite someone by address to propose the session together; they accept from the mail's link."""
    email = email.strip()
    if Member.objects.filter(
        Q(pk=session.proposer_id) | Q(co_proposed_sessions=session), email__iexact=email
    ).exists():
        raise SessionError(_("This person already proposes the session."), code="already")
    invite = SessionInvite.objects.create(session=session, email=email, invited_by=invited_by)
    url = site_url(reverse("events:session-invite-accept", args=[session.event.slug, invite.token]))
    invited = Member.objects.filter(email__iexact=email).only("preferred_language").first()
    language = (
        getattr(invited, "preferred_language", "")
        or getattr(invited_by, "preferred_language", "")
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        context = {"session": session, "event": session.event, "inviter": invited_by, "url": url}
        subject = render_to_string("events/email/session_invite_subject.txt", context).strip()
        body = render_to_string("events/email/session_invite.txt", context)
    # Only queued (otg.jobs.mail.QueueBackend) in this transaction: the invitation and its mail commit
    # together.
    send_mail(clean_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject), body, None, [email])
    return invite


@transaction.atomic
def session_invite_accept(*, token: str, member, now: datetime | None = None) -> Session:
    invite = SessionInvite.objects.select_for_update().filter(token=token, accepted_at__isnull=True).first()
    if invite is None:
        raise SessionError(_("This invitation has been used or is no longer valid."), code="invalid")
    invite.accepted_at = now or timezone.now()
    invite.save(update_fields=["accepted_at"])
    invite.session.co_proposers.add(member)
    return invite.session


@transaction.atomic
def session_hide(*, session: Session, reason: str, now: datetime | None = None) -> Session:
    """A host hides a proposal from the board; the proposer sees why. Its place in the schedule is freed."""
    reason = clean_text(reason).strip()
    if not reason:
        raise SessionError(_("Tell the proposer why, so they can understand or improve it."), code="reason")
    session = Session.objects.select_for_update().get(pk=session.pk)
    session.hidden_at = now or timezone.now()
    session.hide_reason = reason
    session.save(update_fields=["hidden_at", "hide_reason"])
    if Placement.objects.filter(session=session).delete()[0]:
        _schedule_touched(session.event_id)
    _proposers_queue(session, "session_hidden")  # they hear why, not only if they look
    return session


@transaction.atomic
def session_unhide(*, session: Session) -> Session:
    Session.objects.filter(pk=session.pk).update(hidden_at=None, hide_reason="")
    session.refresh_from_db()
    return session


def _participant_names(session: Session) -> list[str]:
    """The names of those who proposed or wanted the session: whom Chatham House notes must not name."""
    members = Member.objects.filter(
        Q(pk=session.proposer_id) | Q(co_proposed_sessions=session) | Q(session_interests__session=session)
    ).distinct()
    return [name for name in members.values_list("name", flat=True) if len(name.strip()) >= 3]


# What a reader does not see between the letters of a name: removed before names are looked for.
_UNSEEN = re.compile(f"[{INVISIBLE}{ZERO_WIDTH_JOINERS}]")


def _folded(text: str) -> str:
    """Text as a reader compares it: composed (NFC), without invisible characters, in one case."""
    return _UNSEEN.sub("", unicodedata.normalize("NFC", text)).casefold()


def _named_in(text: str, names: list[str]) -> list[str]:
    folded = " ".join(_folded(text).split())
    found = []
    for name in names:
        words = _folded(name).split()
        # The whole name, its words in order with any spacing or case; a first name alone is too common
        # a word to refuse.
        if re.search(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", folded):
            found.append(name)
    return found


@transaction.atomic
def session_notes_save(*, session: Session, notes: str) -> Session:
    """The proposers' notes after the session (Markdown; sanitised where it is shown).

    Under the Chatham House rule, notes that name someone who proposed or wanted the session are
    refused, with the names found, so that the rule the page promises holds for what it can know.
    The rule is read from the row under its lock, which session_edit takes too: an edit turning the
    rule on and notes saved at the same moment are checked one after the other, never both against
    the rule as it was.
    """
    session = Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)
    session.notes = (normalise_text(notes or "") or "").strip()
    if session.chatham_house and (named := _named_in(session.notes, _participant_names(session))):
        raise SessionError(
            _("This session is held under the Chatham House rule: the notes may not name %(names)s.")
            % {"names": ", ".join(named)},
            code="chatham",
        )
    _valid(session)
    Session.objects.filter(pk=session.pk).update(notes=session.notes)
    return session


# --- Want -----------------------------------------------------------------------------------------


@transaction.atomic
def session_want(*, session: Session, member, now: datetime | None = None) -> bool:
    """ "Jag vill vara med". True if it is new; marking twice counts once (the row is unique, and the
    count is raised only when a row was inserted, in the same transaction)."""
    now = now or timezone.now()
    if not Session.objects.shown().filter(pk=session.pk).exists():
        raise SessionError(_("This session is hidden."), code="hidden")
    _open_board(session.event, now)
    try:
        with transaction.atomic():
            SessionInterest.objects.create(session=session, member=member, created_at=now)
    except IntegrityError:  # already marked: the unique row holds, under any number of requests at once
        return False
    Session.objects.filter(pk=session.pk).update(interest_count=F("interest_count") + 1)
    return True


@transaction.atomic
def session_unwant(*, session: Session, member) -> bool:
    deleted, _rows = SessionInterest.objects.filter(session=session, member=member).delete()
    if deleted:
        Session.objects.filter(pk=session.pk).update(interest_count=F("interest_count") - 1)
    return bool(deleted)


def sessions_export_for_member(*, member) -> dict:
    """What a member did on unconference boards: the sessions they proposed (with notes and why a host
    hid one) and the sessions they want."""
    return {
        "sessions_proposed": [
            {
                "session": session.title,
                "event": session.event.title,
                "url": site_url(session.get_absolute_url()),
                "pitch": session.pitch,
                "notes": session.notes,
                "hidden_because": session.hide_reason,
            }
            for session in Session.objects.filter(Q(proposer=member) | Q(co_proposers=member))
            .distinct()
            .select_related("event")
            .order_by("created_at", "pk")
        ],
        "sessions_wanted": [
            {"session": i.session.title, "event": i.session.event.title, "since": i.created_at.isoformat()}
            for i in SessionInterest.objects.filter(member=member)
            .select_related("session__event")
            .order_by("pk")
        ],
    }


@transaction.atomic
def session_interests_remove_for_member(*, member) -> int:
    """A deleted account's interest leaves the counts with its rows; invitations to its address go."""
    SessionInvite.objects.filter(email__iexact=member.email).delete()
    ids = list(SessionInterest.objects.filter(member=member).values_list("session_id", flat=True))
    SessionInterest.objects.filter(member=member).delete()
    Session.objects.filter(pk__in=ids).update(interest_count=F("interest_count") - 1)
    return len(ids)


def public_interested(session: Session):
    """Who wants a session, named only if they chose to be shown as coming to the event (the RSVP
    list's consent) and show their profile."""
    return (
        Member.objects.public()
        .filter(
            session_interests__session=session,
            rsvps__event_id=session.event_id,
            rsvps__status=Rsvp.Status.GOING,
            rsvps__show_publicly=True,
        )
        .only("pk", "name")
        .order_by("name")
        .distinct()
    )


# --- Rooms, slots, placements ---------------------------------------------------------------------


@transaction.atomic
def room_create(*, event: Event, name: str, seats: int) -> Room:
    # A column heading of the schedule: NFC, one line, with a letter or a digit, however it was typed.
    try:
        name = normalise_name(name or "")
    except ValidationError as error:
        raise SessionError(error.messages, code="room") from None
    if not name:
        raise SessionError(_("Give the room a name."), code="room")
    if Room.objects.filter(event=event, name__iexact=name).exists():
        raise SessionError(_("There is already a room with that name."), code="room")
    return Room.objects.create(event=event, name=name, seats=seats)


@transaction.atomic
def room_delete(*, room: Room) -> None:
    if room.placements.exists():
        _schedule_touched(room.event_id)
    room.delete()


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


@transaction.atomic
def slot_create(*, event: Event, starts: datetime, ends: datetime, lock: bool = True) -> Slot:
    """A time slot of the event: within its start and end, and overlapping none of its other slots (one
    may start when another ends), as the schedule's suggestion and clash counts assume.

    The event's row is locked first, so that two hosts adding slots at once are checked one after the
    other and cannot both add an overlap. ``lock`` is a test-only control: the race test turns it off
    to show that without the lock both get in. Never pass it anywhere else.
    """
    if ends <= starts:
        raise SessionError(_("A slot ends after it starts."), code="slot")
    event = (
        Event.objects.select_for_update().only("pk", "start", "end").get(pk=event.pk)
        if lock
        else Event.objects.only("pk", "start", "end").get(pk=event.pk)
    )
    if starts < event.start or ends > event.end:
        raise SessionError(
            _("A time slot must lie within the event, from %(start)s to %(end)s.")
            % {"start": _when(event.start), "end": _when(event.end)},
            code="outside",
        )
    overlapping = Slot.objects.filter(event=event, starts__lt=ends, ends__gt=starts).first()
    if overlapping is not None:
        raise SessionError(
            _(
                "This time overlaps the slot from %(start)s to %(end)s. A slot may start when another "
                "ends, but not before."
            )
            % {"start": _when(overlapping.starts), "end": _when(overlapping.ends)},
            code="overlap",
        )
    return Slot.objects.create(event=event, starts=starts, ends=ends)


@transaction.atomic
def slot_delete(*, slot: Slot) -> None:
    if slot.placements.exists():
        _schedule_touched(slot.event_id)
    slot.delete()


def _schedule_touched(event_id: int, now: datetime | None = None) -> None:
    """After publication, a change waits to be sent to the members (schedule_changes_send)."""
    Schedule.objects.filter(event_id=event_id, published_at__isnull=False).update(
        changed_at=now or timezone.now()
    )


def _proposers_queue(session: Session, template: str) -> None:
    ids = session.proposer_ids()
    enqueue_many(
        "session_mail_send",
        [
            {"member_id": pk, "event_id": session.event_id, "session_id": session.pk, "template": template}
            for pk in ids
        ],
    )


def session_place(*, session: Session, room: Room, slot: Slot, now: datetime | None = None) -> Placement:
    """Put a session into a room and a slot (or move it there); its proposers are told.

    Two hosts placing into the same room and slot at once: the database's constraint lets one win, and
    the other gets a SessionError that says so (no check before the insert: it would race).
    """
    now = now or timezone.now()
    if not (session.event_id == room.event_id == slot.event_id):
        raise SessionError(_("The room and the slot must belong to the session's event."), code="event")
    if session.is_hidden:
        raise SessionError(_("A hidden session cannot be placed."), code="hidden")
    try:
        with transaction.atomic():
            placement = Placement.objects.select_for_update().filter(session=session).first()
            if placement is not None and (placement.room_id, placement.slot_id) == (room.pk, slot.pk):
                return placement
            if placement is None:
                placement = Placement.objects.create(session=session, room=room, slot=slot, placed_at=now)
                template = "session_placed"
            else:
                placement.room, placement.slot, placement.placed_at = room, slot, now
                placement.save(update_fields=["room", "slot", "placed_at"])
                template = "session_moved"
            _schedule_touched(session.event_id, now)
            _proposers_queue(session, template)
    except IntegrityError:
        taken = Placement.objects.filter(room=room, slot=slot).select_related("session").first()
        raise SessionError(
            _("%(room)s at %(slot)s was just taken by “%(session)s”. Choose another room or time.")
            % {"room": room.name, "slot": slot, "session": taken.session.title if taken else "?"},
            code="taken",
        ) from None
    return placement


@transaction.atomic
def session_unplace(*, session: Session) -> None:
    if Placement.objects.filter(session=session).delete()[0]:
        _schedule_touched(session.event_id)


def with_event(event: Event, sessions):
    """The sessions with their event set: each links to its page by the event's slug, which would
    otherwise be one query per session."""
    sessions = list(sessions)
    for session in sessions:
        session.event = event
    return sessions


def board_sessions(event: Event) -> list[Session]:
    """The board: shown sessions by interest, with where each is placed, in one query."""
    return with_event(
        event,
        Session.objects.shown()
        .filter(event=event)
        .select_related("placement__room", "placement__slot", "proposer")
        .by_interest(),
    )


def schedule_grid(event: Event) -> tuple[list[Room], list[tuple[Slot, list[tuple[Room, Session | None]]]]]:
    """The rooms (columns) and, per slot (rows), each room with its session or None."""
    rooms = list(Room.objects.filter(event=event))
    slots = list(Slot.objects.filter(event=event))
    if not rooms or not slots:  # a table of no columns or no rows says nothing
        return [], []
    placed = {
        (p.room_id, p.slot_id): with_event(event, [p.session])[0]
        for p in Placement.objects.filter(
            session__event=event, session__hidden_at__isnull=True
        ).select_related("session")
    }
    return rooms, [(slot, [(room, placed.get((room.pk, slot.pk))) for room in rooms]) for slot in slots]


def placement_problems(event: Event) -> dict[int, list[str]]:
    """What is wrong with each placed session: a time outside the event's (its times changed after the
    slot was added), a room smaller than its interest, a proposer who is in two places at once (sessions
    in overlapping slots)."""
    placements = list(
        Placement.objects.filter(session__event=event, session__hidden_at__isnull=True)
        .select_related("session", "room", "slot")
        .prefetch_related("session__co_proposers")
    )
    problems: dict[int, list[str]] = defaultdict(list)
    for p in placements:
        if not p.slot.lies_within(event):
            problems[p.session_id].append(
                str(_("It is at a time outside the event's times now: choose another."))
            )
        if p.session.interest_count > p.room.seats:
            problems[p.session_id].append(
                str(
                    _("%(room)s has %(seats)s seats, and %(wanted)s want to come.")
                    % {"room": p.room.name, "seats": p.room.seats, "wanted": p.session.interest_count}
                )
            )
    for a in placements:
        for b in placements:
            if a.pk == b.pk or not a.slot.overlaps(b.slot):
                continue
            if a.session.proposer_ids() & b.session.proposer_ids():
                problems[a.session_id].append(
                    str(
                        _("A proposer is in two places at once: “%(other)s” is at the same time.")
                        % {"other": b.session.title}
                    )
                )
    return dict(problems)


def schedule_suggest(event: Event) -> dict[int, tuple[int, int]]:
    """A suggested schedule for the board (events.suggest): session id -> (room id, slot id)."""
    sessions = list(Session.objects.shown().filter(event=event).prefetch_related("co_proposers"))
    wanted_by: dict[int, set[int]] = defaultdict(set)
    for session_id, member_id in SessionInterest.objects.filter(
        session__event=event, session__hidden_at__isnull=True
    ).values_list("session_id", "member_id"):
        wanted_by[session_id].add(member_id)
    for session in sessions:
        wanted_by[session.pk] |= session.proposer_ids()
    board = suggest.Board(
        wanted={s.pk: frozenset(wanted_by[s.pk]) for s in sessions},
        rooms={r.pk: r.seats for r in Room.objects.filter(event=event)},
        # A slot the event's times no longer cover (they changed after it was added) is suggested to nobody.
        slots=tuple(
            Slot.objects.filter(event=event, starts__gte=event.start, ends__lte=event.end).values_list(
                "pk", flat=True
            )
        ),
        interest={s.pk: s.interest_count for s in sessions},
    )
    return suggest.suggest(board)


@transaction.atomic
def schedule_apply(
    *, event: Event, assignment: dict[int, tuple[int, int]], now: datetime | None = None
) -> int:
    """Replace the schedule with ``assignment`` (a suggestion the hosts accept); the proposers of every
    session placed or moved are told. Returns how many sessions it placed."""
    now = now or timezone.now()
    before = {p.session_id: (p.room_id, p.slot_id) for p in Placement.objects.filter(session__event=event)}
    # Emptied first: a session moving into a place another one leaves would otherwise meet it there.
    Placement.objects.filter(session__event=event).exclude(session_id__in=assignment).delete()
    Placement.objects.filter(session_id__in=assignment).delete()
    sessions = {
        s.pk: s
        for s in Session.objects.filter(event=event, pk__in=assignment).prefetch_related("co_proposers")
    }
    Placement.objects.bulk_create(
        [
            Placement(session_id=sid, room_id=room, slot_id=slot, placed_at=now)
            for sid, (room, slot) in assignment.items()
            if sid in sessions
        ]
    )
    for sid, place in assignment.items():
        if sid in sessions and before.get(sid) != place:
            _proposers_queue(sessions[sid], "session_placed" if sid not in before else "session_moved")
    if before != assignment:
        _schedule_touched(event.pk, now)
    return len(sessions)
