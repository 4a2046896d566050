"""Capacity under concurrent RSVPs, on the real PostgreSQL database with real threads.

Each thread has its own database connection (and closes it). The control runs the same harness with
the event row lock turned off and shows an oversell, so the locked result means something.
"""

import threading

import pytest
from django.db import connection

from events.models import Rsvp
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 50
CAPACITY = 10


def _rsvp_all_at_once(event, members, *, lock: bool) -> list[BaseException]:
    barrier = threading.Barrier(len(members))
    errors: list[BaseException] = []

    def answer(member):
        try:
            barrier.wait(timeout=30)
            rsvp_create(event=event, member=member, lock=lock)
        except BaseException as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_rsvp_create_concurrent_never_exceeds_capacity(settings):
    settings.EVENT_LOCK_TIMEOUT_MS = 30_000  # 50 at once on a shared 2-core machine: no giving up here
    event = EventFactory(capacity=CAPACITY)
    members = [MemberFactory() for _ in range(PEOPLE)]

    errors = _rsvp_all_at_once(event, members, lock=True)

    assert errors == []
    event.refresh_from_db()
    rsvps = list(Rsvp.objects.filter(event=event).order_by("pk"))
    going = [r for r in rsvps if r.status == Rsvp.Status.GOING]
    waiting = [r for r in rsvps if r.status == Rsvp.Status.WAITLISTED]
    assert len(going) == CAPACITY
    assert len(waiting) == PEOPLE - CAPACITY
    assert (event.going_count, event.waitlist_count) == (CAPACITY, PEOPLE - CAPACITY)
    # Arrival order is the order in which the lock was granted: every going RSVP was written before
    # every waitlisted one, and the waitlist positions follow that order with no gaps.
    assert max(r.pk for r in going) < min(r.pk for r in waiting)
    positions = {
        r.pk: r.waitlist_position
        for r in Rsvp.objects.filter(event=event).waitlisted().with_waitlist_position()
    }
    assert [positions[r.pk] for r in waiting] == list(range(1, PEOPLE - CAPACITY + 1))
    assert [r.created_at for r in waiting] == sorted(r.created_at for r in waiting)


def test_rsvp_create_concurrent_without_lock_oversells(settings):
    """The control: the same harness without the row lock confirms more people than there are places."""
    event = EventFactory(capacity=CAPACITY)
    members = [MemberFactory() for _ in range(PEOPLE)]

    _rsvp_all_at_once(event, members, lock=False)

    assert Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count() > CAPACITY
