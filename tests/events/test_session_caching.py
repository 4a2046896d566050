"""The event page is kept for visitors under the generations it shows, "sessions" among them: every
write of the board shows on it at once. One test per write; ``commit`` runs what waits for the commit
(the generation's bump), as a real commit would."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.services import schedule
from events.services import sessions as board
from members.services import member_delete
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(commit):
    with commit():
        event = EventFactory(title="Öppen yta", kind="unconference")
        session = board.session_propose(
            event=event, member=MemberFactory(), title="Klarspråk", pitch="Om det."
        )
        room = board.room_create(event=event, name="Stora salen", seats=30)
        slot = board.slot_create(event=event, starts=event.start, ends=event.start + timedelta(hours=1))
        board.session_place(session=session, room=room, slot=slot)
        schedule.schedule_publish(event=event)
        fan = MemberFactory()
        board.session_want(session=session, member=fan)
    return {"event": event, "session": session, "room": room, "slot": slot, "fan": fan}


def _page(world) -> str:
    return Client(HTTP_ACCEPT_LANGUAGE="en").get(world["event"].get_absolute_url()).content.decode()


def _second_slot(w):
    return board.slot_create(
        event=w["event"],
        starts=w["event"].start + timedelta(hours=1),
        ends=w["event"].start + timedelta(hours=2),
    )


WRITES = {
    "propose": (
        lambda w: board.session_propose(event=w["event"], member=MemberFactory(), title="Ny", pitch="Ny."),
        "2 sessions are proposed",
    ),
    "hide": (
        lambda w: board.session_hide(session=w["session"], reason="Dubblett"),
        "0 sessions are proposed",
    ),
    "want": (lambda w: board.session_want(session=w["session"], member=MemberFactory()), "2 want to come"),
    "unwant": (lambda w: board.session_unwant(session=w["session"], member=w["fan"]), "0 want to come"),
    "member deleted": (lambda w: member_delete(member=w["fan"]), "0 want to come"),
    "room added": (
        lambda w: board.room_create(event=w["event"], name="Lilla rummet", seats=5),
        "Lilla rummet",
    ),
    "room removed": (lambda w: board.room_delete(room=w["room"]), "1 session is proposed"),
    "slot added": (lambda w: _second_slot(w), "Free"),
    "slot removed": (lambda w: board.slot_delete(slot=w["slot"]), "1 session is proposed"),
    "unplaced": (lambda w: board.session_unplace(session=w["session"]), "Free"),
    "unpublished": (lambda w: schedule.schedule_unpublish(event=w["event"]), "1 session is proposed"),
    "edited": (
        lambda w: board.session_edit(
            session=w["session"],
            title="Klarspråk i praktiken",
            pitch="Om brev.",
            format="workshop",
            chatham_house=False,
        ),
        "Klarspråk i praktiken</a>",
    ),
}
# What each write takes away from the page (the text that must be gone afterwards), where it is not
# simply the text before.
GONE = {
    "room removed": "<table",
    "slot removed": "<table",
    "unpublished": "<table",
    "unplaced": "Klarspråk</a>",
    "hide": "1 session is proposed",
    "want": "1 wants to come",
    "unwant": "1 wants to come",
    "member deleted": "1 wants to come",
    "propose": "1 session is proposed",
    "edited": "Klarspråk</a>",
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_event_page_shows_each_board_write_at_once(world, commit, name):
    before = _page(world)
    write, shown = WRITES[name]
    with commit():
        write(world)
    after = _page(world)
    assert after != before and shown in after  # a page kept from before the write would be the same
    if name in GONE:
        assert GONE[name] not in after


def test_placing_and_publishing_show_at_once(world, commit):
    event = world["event"]
    with commit():
        schedule.schedule_unpublish(event=event)
        other = board.session_propose(
            event=event, member=MemberFactory(), title="Öppna data", pitch="Om data."
        )
    assert "Öppna data</a>" not in _page(world)
    with commit():
        schedule.schedule_publish(event=event)
    assert "Öppna data</a>" not in _page(world) and "Klarspråk</a>" in _page(world)
    with commit():
        board.session_place(session=other, room=world["room"], slot=_second_slot(world))
    assert "Öppna data</a>" in _page(world)
    with commit():
        board.schedule_apply(event=event, assignment={})
    assert "Öppna data</a>" not in _page(world) and "Klarspråk</a>" not in _page(world)


def _without_token(html: str) -> str:
    """A kept page fills in each visitor's own CSRF token (the language switcher's): the rest is kept."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_kept_board_and_schedule_answer_a_visitor_in_one_query(commit, django_assert_max_num_queries):
    """A board of 200 sessions wanted by 2,000 members (with interest bulk-made): once kept, the board
    and the event page with its schedule each cost one SQL query (the generations, from the database
    cache), and a mark of interest shows at once."""
    from events.models import SessionInterest

    with commit():
        start = timezone.now() + timedelta(days=7)
        # Four slots of 50 minutes, an hour apart: a day long enough to hold them.
        event = EventFactory(
            title="Stor yta", kind="unconference", start=start, end=start + timedelta(hours=5)
        )
        proposer = MemberFactory()
        sessions = [
            board.session_propose(event=event, member=proposer, title=f"Session {i}", pitch="Om det.")
            for i in range(200)
        ]
        rooms = [board.room_create(event=event, name=f"Rum {i}", seats=20 + i) for i in range(5)]
        slots = [
            board.slot_create(
                event=event,
                starts=event.start + timedelta(hours=h),
                ends=event.start + timedelta(hours=h, minutes=50),
            )
            for h in range(4)
        ]
        for i, (room, slot) in enumerate((r, s) for s in slots for r in rooms):
            board.session_place(session=sessions[i], room=room, slot=slot)
        schedule.schedule_publish(event=event)
        members = MemberFactory.create_batch(2000, verified_email=False)
        SessionInterest.objects.bulk_create(
            [
                SessionInterest(session=sessions[(i * 7 + k) % 200], member=m)
                for i, m in enumerate(members)
                for k in range(3)
            ]
        )
        for session in sessions:
            session.interest_count = session.interests.count()
        type(sessions[0]).objects.bulk_update(sessions, ["interest_count"])
    visitor = Client(HTTP_ACCEPT_LANGUAGE="sv")
    board_url = reverse("events:session-board", args=[event.slug])
    first = _without_token(visitor.get(board_url).content.decode())
    visitor.get(event.get_absolute_url())
    with django_assert_max_num_queries(1):
        assert _without_token(visitor.get(board_url).content.decode()) == first
    with django_assert_max_num_queries(1):
        page = visitor.get(event.get_absolute_url()).content.decode()
    assert page.count('<th scope="row">') == 4 and "Session 0</a>" in page
    with commit():
        board.session_want(session=sessions[199], member=MemberFactory())
    assert _without_token(visitor.get(board_url).content.decode()) != first


@pytest.mark.parametrize("name", sorted(WRITES))
def test_kept_board_shows_each_board_write_at_once(world, commit, name):
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("events:session-board", args=[world["event"].slug])
    before = _without_token(visitor.get(url).content.decode())
    with commit():
        WRITES[name][0](world)
    assert _without_token(visitor.get(url).content.decode()) != before


def test_kept_session_page_shows_an_edit_at_once(world, commit):
    """A visitor's session page is kept under the generation of sessions: the proposer's new title and
    pitch show at once, on it and on the board."""
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = world["session"].get_absolute_url()
    board_url = reverse("events:session-board", args=[world["event"].slug])
    before = visitor.get(url).content.decode()
    assert "Klarspråk</h1>" in before and "Klarspråk</a>" in visitor.get(board_url).content.decode()
    with commit():
        board.session_edit(
            session=world["session"],
            title="Klarspråk i praktiken",
            pitch="Vi skriver om ett *riktigt* brev.",
            format="workshop",
            chatham_house=True,
        )
    page = visitor.get(url).content.decode()
    assert "Klarspråk i praktiken</h1>" in page and "<em>riktigt</em>" in page and "Chatham House" in page
    on_board = visitor.get(board_url).content.decode()
    assert "Klarspråk i praktiken</a>" in on_board and "Klarspråk</a>" not in on_board
