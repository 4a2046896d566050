from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Event, Rsvp
from events.services.events import event_cancel
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _past(event, days_ago: int) -> None:
    start = timezone.now() - timedelta(days=days_ago)
    Event.objects.filter(pk=event.pk).update(start=start, end=start + timedelta(hours=2))


def test_erase_event_needs_after_retention(settings):
    settings.EVENT_NEEDS_RETENTION_DAYS = 30
    old, recent = EventFactory(), EventFactory()
    old_rsvp = rsvp_create(event=old, member=MemberFactory(), accessibility_needs="Rullstol")
    recent_rsvp = rsvp_create(event=recent, member=MemberFactory(), dietary_needs="Glutenfritt")
    _past(old, days_ago=31)
    _past(recent, days_ago=10)

    call_command("erase_event_needs", verbosity=0)

    old_rsvp.refresh_from_db()
    recent_rsvp.refresh_from_db()
    assert (old_rsvp.accessibility_needs, old_rsvp.dietary_needs) == ("", "")
    assert old_rsvp.needs_erased_at is not None
    assert old_rsvp.status == Rsvp.Status.GOING
    assert recent_rsvp.dietary_needs == "Glutenfritt"


def test_send_event_reminders_twice_sends_once(mailoutbox, django_capture_on_commit_callbacks):
    tomorrow = EventFactory(title="I morgon-träffen", start=timezone.now() + timedelta(hours=20))
    next_week = EventFactory()
    attendee = MemberFactory(preferred_language="en")
    rsvp_create(event=tomorrow, member=attendee)
    rsvp_create(event=next_week, member=MemberFactory())
    full = EventFactory(capacity=1, start=timezone.now() + timedelta(hours=20))
    rsvp_create(event=full, member=MemberFactory())
    rsvp_create(event=full, member=MemberFactory())
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", verbosity=0)

    reminded = sorted(m.to[0] for m in mailoutbox)
    assert len(reminded) == 2  # the attendee tomorrow and the one going to the full event
    assert attendee.email in reminded
    mail = next(m for m in mailoutbox if m.to == [attendee.email])
    assert mail.subject.endswith(": I morgon-träffen")
    assert "Today at " in mail.subject or "Tomorrow at " in mail.subject
    assert Rsvp.objects.filter(reminder_sent_at__isnull=False).count() == 2


def test_send_event_reminders_skips_cancelled_events(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory(start=timezone.now() + timedelta(hours=5))
    rsvp_create(event=event, member=MemberFactory())
    event_cancel(event=event)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", verbosity=0)
    assert mailoutbox == []
