"""The event page is kept for visitors under the generations it shows, "sessions" among them: every
write of the board shows on it at once. One test per write; ``commit`` runs what waits for the commit
(the generation's bump), as a real commit would."""

from datetime import timedelta

import pytest
from django.test import Client

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
        board.schedule_publish(event=event)
        fan = MemberFactory()
        board.session_want(session=session, member=fan)
    return {"event": event, "session": session, "room": room, "slot": slot, "fan": fan}


def _page(world) -> str:
    return Client(HTTP_ACCEPT_LANGUAGE="en").get(world["event"].get_absolute_url()).content.decode()


def _second_slot(w):
    return board.slot_create(
        event=w["event"],
        starts=w["event"].start + timedelta(hours=2),
        ends=w["event"].start + timedelta(hours=3),
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
    "unpublished": (lambda w: board.schedule_unpublish(event=w["event"]), "1 session is proposed"),
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
        board.schedule_unpublish(event=event)
        other = board.session_propose(
            event=event, member=MemberFactory(), title="Öppna data", pitch="Om data."
        )
    assert "Öppna data</a>" not in _page(world)
    with commit():
        board.schedule_publish(event=event)
    assert "Öppna data</a>" not in _page(world) and "Klarspråk</a>" in _page(world)
    with commit():
        board.session_place(session=other, room=world["room"], slot=_second_slot(world))
    assert "Öppna data</a>" in _page(world)
    with commit():
        board.schedule_apply(event=event, assignment={})
    assert "Öppna data</a>" not in _page(world) and "Klarspråk</a>" not in _page(world)
