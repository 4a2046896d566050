"""Reports sent at once, on the real PostgreSQL database with real threads: the member's row lock lets
one through per event and holds the daily limit, and the constraint stands behind it."""

import threading

import pytest
from django.db import IntegrityError, connection

from events.models import EventReport
from events.services.hosting import HostError, event_report
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _report_all_at_once(reporter, events) -> list[BaseException]:
    barrier = threading.Barrier(len(events))
    errors: list[BaseException] = []

    def report(event):
        try:
            barrier.wait(timeout=30)
            event_report(event=event, reporter=reporter, reason="Reklam.")
        except BaseException as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=report, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_six_reports_of_one_event_at_once_make_one():
    reporter, event = MemberFactory(), EventFactory()
    errors = _report_all_at_once(reporter, [event] * 6)
    assert EventReport.objects.filter(event=event, reporter=reporter).count() == 1
    assert len(errors) == 5
    # Each was told it is already with staff: none reached the constraint (an IntegrityError, a 500).
    assert all(isinstance(error, HostError) and error.code == "already" for error in errors)


def test_reports_of_many_events_at_once_stay_within_the_daily_limit(settings):
    settings.EVENT_REPORTS_PER_DAY = 3
    reporter = MemberFactory()
    errors = _report_all_at_once(reporter, EventFactory.create_batch(8))
    assert EventReport.objects.filter(reporter=reporter).count() == 3
    assert len(errors) == 5 and all(isinstance(error, HostError) for error in errors)


def test_the_constraint_refuses_a_second_open_report_written_past_the_service():
    """The control that the database keeps the promise even where the service is not asked."""
    reporter, event = MemberFactory(), EventFactory()
    EventReport.objects.create(event=event, reporter=reporter, reason="Ett.")
    with pytest.raises(IntegrityError):
        EventReport.objects.create(event=event, reporter=reporter, reason="Två.")
