"""The events' jobs: the periodic reminders and erasure run on the workers, with no cron line."""

from datetime import timedelta

import pytest
from django.utils import timezone
from procrastinate.contrib.django import app

from events.models import Event, Rsvp
from events.services.events import event_save
from events.services.rsvps import rsvp_create, rsvp_reminders_send
from events.tasks import event_needs_erase, event_reminders_send
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_reminders_and_erasure_are_periodic_jobs_of_the_workers():
    schedule = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert schedule["event_reminders_send"] == "*/10 * * * *"
    assert schedule["event_needs_erase"] == "15 3 * * *"
    assert "jobs_retry_stalled" in schedule  # a dead worker's jobs run again
    assert "jobs_prune" in schedule


def test_the_reminder_job_run_twice_reminds_once(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory(title="Frukostträffen", start=timezone.now() + timedelta(hours=20))
    member = MemberFactory(preferred_language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(event=event, member=member)
    mailoutbox.clear()

    for tick in (0, 600):
        with django_capture_on_commit_callbacks(execute=True):
            event_reminders_send(timestamp=tick)

    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "Frukostträffen" in mailoutbox[0].subject
    assert mailoutbox[0].attachments[0][2] == "text/calendar"


def test_the_erasure_job_erases_needs_after_retention(settings):
    settings.EVENT_NEEDS_RETENTION_DAYS = 30
    event = EventFactory()
    rsvp = rsvp_create(event=event, member=MemberFactory(), dietary_needs="Vegansk")
    start = timezone.now() - timedelta(days=40)
    Event.objects.filter(pk=event.pk).update(start=start, end=start + timedelta(hours=2))

    assert event_needs_erase(timestamp=0) == 1
    assert Rsvp.objects.get(pk=rsvp.pk).dietary_needs == ""


def test_an_event_moved_a_week_on_after_its_reminder_is_reminded_again_before_its_new_start(mailoutbox):
    start = timezone.now() + timedelta(hours=20)
    event = EventFactory(title="Frukostträffen", start=start, end=start + timedelta(hours=2))
    member = MemberFactory(preferred_language="en")
    rsvp_create(event=event, member=member)
    assert rsvp_reminders_send() == 1
    event.start += timedelta(days=7)
    event.end += timedelta(days=7)
    event_save(event=event, changed_fields=["start", "end"])
    mailoutbox.clear()

    assert rsvp_reminders_send(now=event.start - timedelta(hours=20)) == 1
    assert rsvp_reminders_send(now=event.start - timedelta(hours=10)) == 0  # still once


def test_an_event_moved_by_an_hour_after_its_reminder_is_not_reminded_twice():
    start = timezone.now() + timedelta(hours=20)
    event = EventFactory(start=start, end=start + timedelta(hours=2))
    rsvp_create(event=event, member=MemberFactory())
    assert rsvp_reminders_send() == 1
    event.start += timedelta(hours=1)
    event.end += timedelta(hours=1)
    event_save(event=event, changed_fields=["start", "end"])  # its change notice tells them

    assert rsvp_reminders_send() == 0
