"""The unconference board: sessions proposed and wanted, a session's page and calendar entry, the hosts'
schedule, "Mitt schema" and "Nu och härnäst". Every form works without JavaScript."""

from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from icalendar import Calendar
from icalendar import Event as IcsEvent

from events.models import Event, Room, Schedule, Session, SessionInterest, Slot
from events.permissions import can_host, refuse
from events.services import schedule
from events.services import sessions as board
from events.services.hosting import has_verified_email
from events.services.sessions import SessionError
from events.session_forms import (
    PlaceForm,
    RoomForm,
    SessionEditForm,
    SessionHideForm,
    SessionInviteForm,
    SessionNotesForm,
    SessionProposeForm,
    SlotForm,
)
from events.views.common import host_event, visible_event
from otg.common.caching import page_number
from otg.common.pages import kept_page
from otg.common.text import clean_line, clean_text


def _unconference(request: HttpRequest, slug: str) -> Event:
    event = visible_event(request, slug)
    if event.kind != Event.Kind.UNCONFERENCE:
        raise Http404
    return event


def _session(request: HttpRequest, event: Event, pk: int) -> Session:
    """A session of the event; a hidden one only for its proposers and the hosts."""
    session = get_object_or_404(Session.objects.select_related("proposer"), event=event, pk=pk)
    if session.is_hidden and not (board.is_proposer(request.user, session) or can_host(request, event)):
        raise Http404
    return session


def _back(request: HttpRequest, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _back_to_session(request: HttpRequest, event: Event, session: Session):
    """After wanting (or taking back) a session: asked from a page of the board, the page where the
    session stands now, at the session. Its count changed, so it may have passed others to an earlier
    page (or fallen to a later one): the page it was asked from would show another in its place."""
    target = request.POST.get("next", "")
    board_path = reverse("events:session-board", args=[event.slug])
    if urlsplit(target).path != board_path or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return _back(request, session.get_absolute_url())
    current = Session.objects.filter(pk=session.pk, hidden_at__isnull=True).first()
    if current is None:  # hidden meanwhile: not on the board, nowhere on it to bring the member
        return _back(request, session.get_absolute_url())
    before = (
        Session.objects.shown()
        .filter(event=event)
        .filter(
            Q(interest_count__gt=current.interest_count)
            | Q(interest_count=current.interest_count, created_at__lt=current.created_at)
            | Q(interest_count=current.interest_count, created_at=current.created_at, pk__lt=current.pk)
        )
        .count()
    )  # the order of Session.objects.by_interest(), which the board shows
    number = before // BOARD_PAGE_SIZE + 1
    query = f"?sida={number}" if number > 1 else ""  # the site's page parameter, as the board reads it
    return redirect(f"{board_path}{query}#session-{session.pk}")


def _schedule(event: Event) -> Schedule | None:
    return Schedule.objects.filter(event=event).first()


def _wanted_ids(request: HttpRequest, event: Event) -> set[int]:
    if not request.user.is_authenticated:
        return set()
    return set(
        SessionInterest.objects.filter(member=request.user, session__event=event).values_list(
            "session_id", flat=True
        )
    )


# A board of 200 proposals on a phone is a long scroll and, whole, three times the page budget
# (docs/benchmark.md): the most wanted come first, a page at a time.
BOARD_PAGE_SIZE = 30


def _until_over(event: Event):
    """The moment time alone changes a board page: the event's end (no more proposals or marks)."""
    return lambda: event.end if timezone.now() <= event.end else None


# A visitor gets the board as every visitor does, kept under the generations of events and sessions.
@require_safe
@kept_page("session-board", "events", "sessions", clocks=False)
def session_board(request: HttpRequest, slug: str, *, page, version: str) -> HttpResponse:
    event = _unconference(request, slug)
    hosting = can_host(request, event)
    timetable = _schedule(event)
    published = bool(timetable and timetable.is_published)
    mine_hidden = []
    if request.user.is_authenticated:
        mine_hidden = list(
            Session.objects.filter(event=event, hidden_at__isnull=False, proposer=request.user).order_by("pk")
        )
    rooms, grid = board.schedule_grid(event) if (published or hosting) else ([], [])
    sessions = Paginator(board.board_sessions(event), BOARD_PAGE_SIZE).get_page(
        page_number(request.GET.get("sida"))
    )
    context = {
        "event": event,
        "page": sessions,
        # Where signing in or wanting a session brings the member back: this page of the board, by the
        # number it shows, never what else the query string carried.
        "here": request.path + (f"?sida={sessions.number}" if sessions.number > 1 else ""),
        "sessions": sessions.object_list,
        "wanted": _wanted_ids(request, event),
        "mine_hidden": mine_hidden,
        "can_manage": hosting,
        "published": published,
        "rooms": rooms,
        "grid": grid,
        "is_over": timezone.now() > event.end,
    }
    return page.render("events/session_board.html", context, until=_until_over(event))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_propose(request: HttpRequest, slug: str) -> HttpResponse:
    event = _unconference(request, slug)
    verified = has_verified_email(request.user)
    form = SessionProposeForm(request.POST or None)
    if request.method == "POST" and verified and form.is_valid():
        try:
            session = board.session_propose(event=event, member=request.user, **form.cleaned_data)
        except SessionError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your session is on the board. Others can now say they want to come.")
            )
            return redirect(session.get_absolute_url())
    return render(
        request, "events/session_propose.html", {"event": event, "form": form, "verified": verified}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _unconference(request, slug)
    session = _session(request, event, pk)
    if not (board.is_proposer(request.user, session) or can_host(request, event)):
        refuse(request)  # a 404, or staff without a second factor are asked for it
    # A copy of its own: a form that fails leaves the session as it is stored (its title in the heading).
    form = SessionEditForm(request.POST or None, instance=Session.objects.get(pk=session.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("title", "pitch", "format", "chatham_house")}
        try:
            board.session_edit(session=session, **fields)
        except SessionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes to the session are saved."))
            return redirect(session.get_absolute_url())
    return render(
        request,
        "events/session_edit.html",
        {"event": event, "session": session, "form": form, "is_over": timezone.now() > event.end},
        status=400 if form.errors else 200,
    )


def _detail(request: HttpRequest, event: Event, session: Session, notes_form=None, page=None) -> HttpResponse:
    proposing = board.is_proposer(request.user, session)
    hosting = can_host(request, event)
    timetable = _schedule(event)
    placement = session.placement if hasattr(session, "placement") else None
    if not ((timetable and timetable.is_published) or hosting):
        placement = None
    if proposing and notes_form is None:
        notes_form = SessionNotesForm(instance=session)
    context = {
        "event": event,
        "session": session,
        "co_proposers": list(session.co_proposers.only("pk", "name")),
        "placement": placement,
        "interested": list(board.public_interested(session)),
        "wants": session.pk in _wanted_ids(request, event),
        "is_proposer": proposing,
        "can_manage": hosting,
        "notes_form": notes_form if proposing else None,
        "invite_form": SessionInviteForm() if proposing else None,
        "hide_form": SessionHideForm() if hosting else None,
        "is_over": timezone.now() > event.end,
    }
    return render(
        request,
        "events/session_detail.html",
        context,
        status=400 if notes_form and notes_form.errors else 200,
    )


@require_safe
@kept_page("session-page", "events", "members", "sessions", clocks=False)
def session_detail(request: HttpRequest, slug: str, pk: int, *, page, version: str) -> HttpResponse:
    event = _unconference(request, slug)
    return _detail(request, event, _session(request, event, pk), page=page)


@login_required
@require_POST
def session_want(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _unconference(request, slug)
    session = _session(request, event, pk)
    try:
        if board.session_want(session=session, member=request.user):
            messages.success(request, _("You want to take part in “%(title)s”.") % {"title": session.title})
    except SessionError as error:
        messages.error(request, " ".join(error.messages))
    return _back_to_session(request, event, session)


@login_required
@require_POST
def session_unwant(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _unconference(request, slug)
    session = _session(request, event, pk)
    if board.session_unwant(session=session, member=request.user):
        messages.success(request, _("You no longer want “%(title)s”.") % {"title": session.title})
    return _back_to_session(request, event, session)


@login_required
@require_POST
def session_notes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _unconference(request, slug)
    session = _session(request, event, pk)
    if not board.is_proposer(request.user, session):
        raise Http404
    form = SessionNotesForm(request.POST, instance=Session.objects.get(pk=session.pk))
    if form.is_valid():
        try:
            board.session_notes_save(session=session, notes=form.cleaned_data["notes"])
        except SessionError as error:
            form.add_error("notes", error)
        else:
            messages.success(request, _("The notes are saved."))
            return redirect(session.get_absolute_url())
    # Shown again with what was typed, so nothing written is lost.
    return _detail(request, event, session, notes_form=form)


@login_required
@require_POST
def session_hide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = host_event(request, slug)
    session = get_object_or_404(Session, event=event, pk=pk)
    if request.POST.get("action") == "show":
        board.session_unhide(session=session)
        messages.success(request, _("The session is on the board again."))
        return redirect(session.get_absolute_url())
    form = SessionHideForm(request.POST)
    if form.is_valid():
        board.session_hide(session=session, reason=form.cleaned_data["reason"])
        messages.success(request, _("The session is hidden. Its proposer sees why."))
    else:
        messages.error(request, _("Tell the proposer why, so they can understand or improve it."))
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def session_invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _unconference(request, slug)
    session = _session(request, event, pk)
    if not board.is_proposer(request.user, session):
        raise Http404
    form = SessionInviteForm(request.POST)
    if form.is_valid():
        try:
            board.session_invite(session=session, email=form.cleaned_data["email"], invited_by=request.user)
        except SessionError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The invitation is sent."))
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect(session.get_absolute_url())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_invite_accept(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    event = _unconference(request, slug)
    if request.method == "POST":
        try:
            session = board.session_invite_accept(token=token, member=request.user)
        except SessionError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("events:session-board", slug=event.slug)
        messages.success(request, _("You now propose “%(title)s” together.") % {"title": session.title})
        return redirect(session.get_absolute_url())
    invite = event.sessions.filter(invites__token=token, invites__accepted_at__isnull=True).first()
    if invite is None:  # the token is the only key: a guessed or used one opens nothing
        raise Http404
    return render(request, "events/session_invite_accept.html", {"event": event, "session": invite})


@require_safe
def session_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _unconference(request, slug)
    session = _session(request, event, pk)
    timetable = _schedule(event)
    placement = session.placement if hasattr(session, "placement") else None
    if placement is None or not (timetable and timetable.is_published):
        raise Http404
    calendar = Calendar()
    calendar.add("prodid", "-//One Team Gov Sverige//Sessioner//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = IcsEvent()
    url = settings.SITE_URL + session.get_absolute_url()
    entry.add("uid", f"session-{session.pk}-{event.uid}@onegov.se")
    entry.add("dtstamp", timezone.now().astimezone(UTC))
    entry.add("dtstart", placement.slot.starts.astimezone(UTC))
    entry.add("dtend", placement.slot.ends.astimezone(UTC))
    # Moves and edits raise SEQUENCE with time: the later of the placement's moment and the last edit,
    # in seconds, only ever grows, so a calendar that imported the entry takes the new one.
    modified = max(placement.placed_at, session.edited_at or placement.placed_at)
    entry.add("sequence", int(modified.timestamp()) - int(session.created_at.timestamp()))
    entry.add("last-modified", modified.astimezone(UTC))
    entry.add("summary", clean_line(session.title), parameters={"LANGUAGE": "sv"})
    entry.add("description", clean_text(f"{session.pitch}\n\n{url}"), parameters={"LANGUAGE": "sv"})
    entry.add("location", clean_line(f"{placement.room.name}, {event.venue_name}".strip(", ")))
    entry.add("url", url)
    entry.add("related-to", f"event-{event.uid}@onegov.se")
    calendar.add_component(entry)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-{session.pk}.ics"'
    return response


@login_required
@require_safe
def my_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    event = _unconference(request, slug)
    timetable = _schedule(event)
    published = bool(timetable and timetable.is_published) or can_host(request, event)
    rows = schedule.my_schedule(event, request.user)
    if not published:
        for row in rows:
            row.update(slot=None, room=None, clashes=[])
    context = {"event": event, "rows": rows, "published": published}
    return render(request, "events/session_my_schedule.html", context)


@require_safe
def now_and_next(request: HttpRequest, slug: str) -> HttpResponse:
    event = _unconference(request, slug)
    timetable = _schedule(event)
    if not (timetable and timetable.is_published):
        current, upcoming = [], []
    else:
        current, upcoming = schedule.now_and_next(event)
    context = {
        "event": event,
        "current": current,
        "upcoming": upcoming,
        "published": bool(timetable and timetable.is_published),
    }
    return render(request, "events/session_now.html", context)


# --- The hosts' schedule -----------------------------------------------------------------------------


def _suggestion_rows(event: Event, suggestion: dict[int, tuple[int, int]]):
    rooms = {r.pk: r for r in Room.objects.filter(event=event)}
    slots = {s.pk: s for s in Slot.objects.filter(event=event)}
    sessions = {s.pk: s for s in Session.objects.filter(pk__in=suggestion)}
    rows = [(slots[slot], rooms[room], sessions[sid]) for sid, (room, slot) in suggestion.items()]
    return sorted(rows, key=lambda r: (r[0].starts, -r[1].seats, r[1].name))


def _posted_pk(request: HttpRequest, name: str) -> int:
    """An id the page's forms send: one edited into anything but digits is a row that is not there."""
    value = request.POST.get(name, "")
    if not value.isascii() or not value.isdigit():
        raise Http404
    return int(value)


def _host_action(request: HttpRequest, event: Event):
    """One POST of the schedule page; the message it leaves, or raises SessionError."""
    action = request.POST.get("action", "")
    if action == "room-add":
        form = RoomForm(request.POST, prefix="room")
        if not form.is_valid():
            return form
        board.room_create(event=event, **form.cleaned_data)
        return _("The room is added.")
    if action == "room-delete":
        board.room_delete(room=get_object_or_404(Room, event=event, pk=_posted_pk(request, "room")))
        return _("The room is removed; its sessions are no longer placed.")
    if action == "slot-add":
        form = SlotForm(request.POST, prefix="slot")
        if form.is_valid():
            try:
                board.slot_create(event=event, **form.cleaned_data)
            except SessionError as error:  # shown on the form, with the times the host typed
                form.add_error(None, error)
        if form.errors:
            return form
        return _("The time slot is added.")
    if action == "slot-delete":
        board.slot_delete(slot=get_object_or_404(Slot, event=event, pk=_posted_pk(request, "slot")))
        return _("The time slot is removed; its sessions are no longer placed.")
    if action == "place":
        session = get_object_or_404(Session.objects.shown(), event=event, pk=_posted_pk(request, "session"))
        form = PlaceForm(request.POST, event=event, auto_id=f"id_s{session.pk}_%s")
        if not form.is_valid():
            raise SessionError(form.non_field_errors() or _("Choose a room and a time."))
        if form.cleaned_data["room"] is None:
            board.session_unplace(session=session)
            return _("“%(title)s” is no longer placed.") % {"title": session.title}
        board.session_place(session=session, room=form.cleaned_data["room"], slot=form.cleaned_data["slot"])
        return _("“%(title)s” is placed.") % {"title": session.title}
    if action == "suggestion-accept":
        placed = board.schedule_apply(event=event, assignment=board.schedule_suggest(event))
        return _("The suggestion is applied: %(n)s sessions placed. Change what you like.") % {"n": placed}
    if action == "publish":
        told = schedule.schedule_publish(event=event)
        return _("The schedule is published; %(n)s members get their schedule by mail.") % {"n": told}
    if action == "send-changes":
        told = schedule.schedule_changes_send(event=event)
        return _("%(n)s members get one mail with their changed schedule.") % {"n": told}
    if action == "unpublish":
        schedule.schedule_unpublish(event=event)
        return _("The schedule is no longer published.")
    raise Http404


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def host_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    event = host_event(request, slug)
    if event.kind != Event.Kind.UNCONFERENCE:
        raise Http404
    room_form, slot_form = RoomForm(prefix="room"), SlotForm(prefix="slot")
    if request.method == "POST":
        try:
            result = _host_action(request, event)
        except SessionError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("events:host-schedule", slug=event.slug)
        if isinstance(result, RoomForm):
            room_form = result
        elif isinstance(result, SlotForm):
            slot_form = result
        else:
            messages.success(request, result)
            return redirect(
                reverse("events:host-schedule", args=[event.slug]) + "#" + request.POST.get("action", "")
            )
    rooms = list(Room.objects.filter(event=event))
    slots = list(Slot.objects.filter(event=event))
    sessions = list(board.board_sessions(event))
    problems = board.placement_problems(event)
    forms_by_session = []
    for session in sessions:
        placement = session.placement if hasattr(session, "placement") else None
        initial = {
            "session": session.pk,
            "room": placement and placement.room_id,
            "slot": placement and placement.slot_id,
        }
        form = PlaceForm(
            initial=initial, event=event, rooms=rooms, slots=slots, auto_id=f"id_s{session.pk}_%s"
        )
        forms_by_session.append((session, form, problems.get(session.pk, [])))
    suggestion = (
        _suggestion_rows(event, board.schedule_suggest(event)) if request.GET.get("forslag") else None
    )
    grid_rooms, grid = board.schedule_grid(event)
    context = {
        "event": event,
        "rooms": rooms,
        "slots": slots,
        "outside": {slot.pk for slot in slots if not slot.lies_within(event)},
        "place_forms": forms_by_session,
        "room_form": room_form,
        "slot_form": slot_form,
        "suggestion": suggestion,
        "schedule": _schedule(event),
        "grid_rooms": grid_rooms,
        "grid": grid,
    }
    return render(request, "events/host_schedule.html", context)
