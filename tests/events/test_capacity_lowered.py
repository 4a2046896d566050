"""A host lowers capacity while members RSVP: the places still hold (real threads, real PostgreSQL).

The host's save waits until some answers are in, then lowers capacity from 30 to LOWER. Either the
new capacity is refused (more are already going) or it holds for every later answer. The control runs
the same harness with the event row lock off in the host's save, and the counters break.
"""

import threading
import time

import pytest
from django.db import connection

from events.models import Event, Rsvp
from events.services.events import event_save
from events.services.rsvps import RsvpError, rsvp_create
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 24
LOWER = 8


def _lower_while_answering(event, members, *, lock: bool) -> dict:
    stale = Event.objects.get(pk=event.pk)  # what the host's form was loaded with
    outcome: dict = {"errors": []}

    def answer(member):
        try:
            rsvp_create(event=event, member=member)
        except BaseException as error:  # collected and asserted on below
            outcome["errors"].append(error)
        finally:
            connection.close()

    def lower():
        try:
            deadline = time.monotonic() + 30
            while Rsvp.objects.filter(event=event).count() < 3 and time.monotonic() < deadline:
                time.sleep(0.005)
            stale.capacity = LOWER
            event_save(event=stale, changed_fields=["capacity"], lock=lock)
            outcome["lowered"] = True
        except RsvpError:
            outcome["lowered"] = False
        except BaseException as error:
            outcome["errors"].append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=lower)]
    threads += [threading.Thread(target=answer, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcome


def test_capacity_lowered_during_rsvps_still_holds(settings):
    settings.EVENT_LOCK_TIMEOUT_MS = 30_000
    event = EventFactory(capacity=30)
    members = [MemberFactory() for _ in range(PEOPLE)]

    outcome = _lower_while_answering(event, members, lock=True)

    assert outcome["errors"] == []
    event.refresh_from_db()
    going = Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count()
    waiting = Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED).count()
    assert (event.going_count, event.waitlist_count) == (going, waiting)
    assert going + waiting == PEOPLE
    assert going <= event.capacity
    if outcome["lowered"]:
        assert (event.capacity, going, waiting) == (LOWER, LOWER, PEOPLE - LOWER)
    else:
        assert event.capacity == 30 and going == PEOPLE


def test_capacity_lowered_without_lock_loses_count():
    """The control: trusting the form's counters, the host's save overwrites answers made meanwhile."""
    event = EventFactory(capacity=30)
    members = [MemberFactory() for _ in range(PEOPLE)]

    _lower_while_answering(event, members, lock=False)

    event.refresh_from_db()
    going = Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count()
    assert going != event.going_count or going > (event.capacity or 0)
