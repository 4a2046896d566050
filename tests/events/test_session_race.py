"""Two hosts placing into the same room and slot at the same moment, with real threads on PostgreSQL.

The control runs the same race with the database's constraint dropped and shows both hosts succeed:
so it is the constraint, not luck or a check in Python, that lets only one win.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction

from events.models import Placement, Session, Slot
from events.services import sessions as board
from events.services.sessions import SessionError
from tests.factories import EventFactory, MemberFactory
from tests.helpers.races import until_one_waits

pytestmark = pytest.mark.django_db(transaction=True)

HOSTS = 8


def _board():
    event = EventFactory(kind="unconference")
    room = board.room_create(event=event, name="Stora salen", seats=30)
    slot = board.slot_create(event=event, starts=event.start, ends=event.start + timedelta(hours=1))
    sessions = [
        board.session_propose(
            event=event, member=MemberFactory(), title=f"Session {i}", pitch="Om förnyelse."
        )
        for i in range(HOSTS)
    ]
    return room, slot, sessions


def _place_all_at_once(room, slot, sessions) -> tuple[int, list[str]]:
    barrier = threading.Barrier(len(sessions))
    placed, refused, unexpected = [], [], []

    def place(session):
        try:
            barrier.wait(timeout=30)
            board.session_place(session=session, room=room, slot=slot)
            placed.append(session.pk)
        except SessionError as error:
            refused.append(" ".join(error.messages))
        except BaseException as error:  # asserted on below
            unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert unexpected == []
    return len(placed), refused


def test_placing_into_one_place_at_once_one_wins_the_others_are_told():
    room, slot, sessions = _board()

    placed, refused = _place_all_at_once(room, slot, sessions)

    assert placed == 1 and len(refused) == HOSTS - 1
    winner = Placement.objects.select_related("session").get()
    assert Placement.objects.filter(room=room, slot=slot).count() == 1
    # Each loser hears which session has the place now (in Swedish, the language a thread starts in).
    assert all(f"togs nyss av ”{winner.session.title}”" in message for message in refused)


def test_control_without_the_constraint_the_race_double_books():
    room, slot, sessions = _board()
    constraint = next(c for c in Placement._meta.constraints if c.name == "placement_one_per_room_and_slot")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Placement, constraint)
    try:
        placed, _refused = _place_all_at_once(room, slot, sessions)
        assert placed > 1 and Placement.objects.filter(room=room, slot=slot).count() == placed
    finally:
        Placement.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Placement, constraint)


def test_many_members_marking_interest_at_once_keep_the_count_exact():
    event = EventFactory(kind="unconference")
    session = board.session_propose(event=event, member=MemberFactory(), title="Populär", pitch="Alla vill.")
    members = [MemberFactory() for _ in range(30)]
    # Each member twice at once (a double click): every one counts once.
    barrier = threading.Barrier(len(members) * 2)
    errors = []

    def want(member):
        try:
            barrier.wait(timeout=30)
            board.session_want(session=session, member=member)
        except BaseException as error:  # asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=want, args=(m,)) for m in members for _twice in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    session.refresh_from_db()
    assert session.interest_count == session.interests.count() == len(members)


def _add_overlapping_slots_at_once(event, *, lock: bool) -> tuple[int, list[str]]:
    """Hosts adding slots at the same moment, each overlapping every other (a minute apart, an hour
    long): each thread is one host's request."""
    barrier = threading.Barrier(HOSTS)
    added, refused, unexpected = [], [], []

    def add(minute):
        try:
            barrier.wait(timeout=30)
            starts = event.start + timedelta(minutes=minute)
            board.slot_create(event=event, starts=starts, ends=starts + timedelta(hours=1), lock=lock)
            added.append(minute)
        except SessionError as error:
            refused.append(" ".join(error.messages))
        except BaseException as error:  # asserted on below
            unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(minute,)) for minute in range(HOSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert unexpected == []
    return len(added), refused


def test_hosts_adding_overlapping_slots_at_once_store_exactly_one():
    event = EventFactory(kind="unconference")

    added, refused = _add_overlapping_slots_at_once(event, lock=True)

    assert added == 1 and Slot.objects.filter(event=event).count() == 1
    assert len(refused) == HOSTS - 1 and all("överlappar passet" in message for message in refused)


def test_control_without_the_event_lock_overlapping_slots_get_in():
    """The same hosts at once, without the event row's lock: the check before the insert lets more than
    one overlapping slot in, so it is the lock that keeps them out above."""
    event = EventFactory(kind="unconference")

    added, _refused = _add_overlapping_slots_at_once(event, lock=False)

    assert added > 1 and Slot.objects.filter(event=event).count() == added


def test_notes_saved_while_the_rule_is_turned_on_wait_for_it_and_are_refused():
    """A proposer turns the Chatham House rule on in 'Redigera session' while a co-proposer, whose page
    was loaded before, saves notes naming the proposer: real threads, the edit's transaction still open
    when the notes arrive. The notes wait for the session's row and are checked against the rule as
    committed, so they are refused; nothing naming anyone is stored."""
    event = EventFactory(kind="unconference")
    proposer = MemberFactory(name="Petra Förslag")
    session = board.session_propose(event=event, member=proposer, title="Klarspråk", pitch="Om.")
    loaded = Session.objects.get(pk=session.pk)  # as the co-proposer's page read it: the rule off
    edited, notes_sent = threading.Event(), threading.Event()
    outcome, unexpected = [], []

    def edit():
        try:
            with transaction.atomic():
                board.session_edit(
                    session=session, title="Klarspråk", pitch="Om.", format="discussion", chatham_house=True
                )
                edited.set()
                notes_sent.wait(timeout=30)
                until_one_waits()  # the notes' request waits on the row (if nothing makes it wait, it saves)
        except BaseException as error:  # asserted on below
            unexpected.append(error)
        finally:
            connection.close()

    def notes():
        try:
            edited.wait(timeout=30)
            notes_sent.set()
            board.session_notes_save(session=loaded, notes="Petra Förslag visade hur.")
            outcome.append("saved")
        except SessionError as error:
            outcome.append(" ".join(error.messages))
        except BaseException as error:
            unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit), threading.Thread(target=notes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert unexpected == []
    assert len(outcome) == 1 and "Chatham House" in outcome[0], outcome
    stored = Session.objects.get(pk=session.pk)
    assert stored.chatham_house and stored.notes == ""
