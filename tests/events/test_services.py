import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from icalendar import Calendar

from events.models import Event, Rsvp
from events.services.events import event_cancel, event_publish, event_save
from events.services.rsvps import RsvpError, rsvp_cancel, rsvp_create
from otg.common import caching
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _going(event):
    return list(Rsvp.objects.going().filter(event=event).values_list("member__email", flat=True))


def test_rsvp_create_confirms_and_mails_calendar(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=2)
    member = MemberFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        rsvp = rsvp_create(event=event, member=member, dietary_needs="  Vegan ")
    event.refresh_from_db()
    assert rsvp.status == Rsvp.Status.GOING
    assert rsvp.dietary_needs == "Vegan"
    assert (event.going_count, event.waitlist_count) == (1, 0)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [member.email]
    assert "You are coming" in mail.subject
    _filename, content, mimetype = mail.attachments[0]
    assert mimetype == "text/calendar"
    assert Calendar.from_ical(content).walk("VEVENT")[0]["SUMMARY"] == event.title


def test_each_mails_calendar_file_shows_the_event_as_it_is_after_writes_that_leave_updated_at(
    django_capture_on_commit_callbacks, mailoutbox
):
    """The .ics a worker keeps between mails follows the generation of events: a write with update(),
    which moves neither updated_at nor SEQUENCE and bumps the generation by hand (as every such write
    must, otg.common.caching), still gives the next mail a file with the new title."""
    event = EventFactory(title="Frukostmöte")
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(event=event, member=MemberFactory())
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.filter(pk=event.pk).update(title="Frukostmöte i Umeå")
        caching.bump("events")
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(event=event, member=MemberFactory())
    titles = [
        str(Calendar.from_ical(mail.attachments[0][1]).walk("VEVENT")[0]["SUMMARY"]) for mail in mailoutbox
    ]
    assert titles == ["Frukostmöte", "Frukostmöte i Umeå"]


def test_rsvp_create_mail_in_swedish_for_swedish_member(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(event=event, member=MemberFactory(preferred_language="sv"))
    assert "Du kommer" in mailoutbox[0].subject
    assert " kl. " in mailoutbox[0].body


def test_rsvp_create_when_full_goes_to_waitlist(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=1)
    rsvp_create(event=event, member=MemberFactory())
    with django_capture_on_commit_callbacks(execute=True):
        rsvp = rsvp_create(event=event, member=MemberFactory(preferred_language="en"))
    event.refresh_from_db()
    assert rsvp.status == Rsvp.Status.WAITLISTED
    assert (event.going_count, event.waitlist_count) == (1, 1)
    assert "waitlist" in mailoutbox[-1].subject
    assert "number 1 on the waitlist" in mailoutbox[-1].body


def test_rsvp_create_twice_is_refused_and_changes_nothing(django_capture_on_commit_callbacks, mailoutbox):
    event, member = EventFactory(capacity=5), MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(event=event, member=member)
    with (
        django_capture_on_commit_callbacks(execute=True),
        translation.override("sv"),
        pytest.raises(RsvpError) as error,
    ):
        rsvp_create(event=event, member=member)
    assert error.value.code == "duplicate"
    assert error.value.messages == ["Du har redan svarat på det här evenemanget."]
    assert Rsvp.objects.filter(event=event).count() == 1
    event.refresh_from_db()
    assert (event.going_count, event.waitlist_count) == (1, 0)
    assert len(mailoutbox) == 1


def test_rsvp_second_active_row_is_stopped_by_the_database():
    event, member = EventFactory(), MemberFactory()
    Rsvp.objects.create(event=event, member=member, status=Rsvp.Status.GOING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rsvp.objects.create(event=event, member=member, status=Rsvp.Status.WAITLISTED)


def test_event_going_count_above_capacity_is_stopped_by_the_database():
    event = EventFactory(capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(going_count=2)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"status": Event.Status.CANCELLED}, "Evenemanget är inställt."),
        ({"rsvp_closes_at": timezone.now() - timedelta(hours=1)}, "Anmälan har stängt."),
        ({"rsvp_opens_at": timezone.now() + timedelta(days=1)}, "Anmälan har inte öppnat ännu."),
        ({"start": timezone.now() - timedelta(minutes=5)}, "Evenemanget har börjat."),
    ],
)
def test_rsvp_create_when_closed_is_refused(changes, reason):
    event = EventFactory(**changes)
    with translation.override("sv"), pytest.raises(RsvpError) as error:
        rsvp_create(event=event, member=MemberFactory())
    assert error.value.messages == [reason]
    assert not Rsvp.objects.filter(event=event).exists()


def test_rsvp_cancel_promotes_first_waitlisted_who_gets_mail(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=1)
    first = rsvp_create(event=event, member=MemberFactory())
    second = rsvp_create(event=event, member=MemberFactory(preferred_language="en"))
    third = rsvp_create(event=event, member=MemberFactory())
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_cancel(rsvp=first)
    second.refresh_from_db()
    third.refresh_from_db()
    event.refresh_from_db()
    assert second.status == Rsvp.Status.GOING
    assert second.promoted_at is not None
    assert third.status == Rsvp.Status.WAITLISTED
    assert (event.going_count, event.waitlist_count) == (1, 1)
    assert [m.to for m in mailoutbox] == [[second.member.email]]
    assert "You got a place" in mailoutbox[0].subject
    assert mailoutbox[0].attachments


def test_rsvp_cancel_of_waitlisted_lowers_waitlist():
    event = EventFactory(capacity=1)
    rsvp_create(event=event, member=MemberFactory())
    waiting = rsvp_create(event=event, member=MemberFactory())
    rsvp_cancel(rsvp=waiting)
    event.refresh_from_db()
    assert (event.going_count, event.waitlist_count) == (1, 0)


def test_rsvp_cancel_twice_is_refused():
    rsvp = rsvp_create(event=EventFactory(), member=MemberFactory())
    rsvp_cancel(rsvp=rsvp)
    with pytest.raises(RsvpError):
        rsvp_cancel(rsvp=rsvp)
    assert Event.objects.get().going_count == 0


def test_rsvp_after_cancel_can_answer_again():
    event, member = EventFactory(), MemberFactory()
    rsvp_cancel(rsvp=rsvp_create(event=event, member=member))
    again = rsvp_create(event=event, member=member)
    assert again.status == Rsvp.Status.GOING
    assert Rsvp.objects.filter(event=event, member=member).count() == 2


def test_event_save_capacity_growth_promotes_in_order(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=1)
    members = [MemberFactory() for _ in range(4)]
    for member in members:
        rsvp_create(event=event, member=member)
    mailoutbox.clear()
    event.refresh_from_db()
    event.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        event_save(event=event, changed_fields=["capacity"])
    event.refresh_from_db()
    assert set(_going(event)) == {m.email for m in members[:3]}
    assert (event.going_count, event.waitlist_count) == (3, 1)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members[1:3])


def test_event_save_capacity_below_going_is_refused():
    event = EventFactory(capacity=3)
    for _ in range(2):
        rsvp_create(event=event, member=MemberFactory())
    event.refresh_from_db()
    event.capacity = 1
    with pytest.raises(RsvpError):
        event_save(event=event, changed_fields=["capacity"])
    event.refresh_from_db()
    assert event.capacity == 3


def test_event_save_keeps_counters_from_a_stale_form():
    event = EventFactory(capacity=5)
    stale = Event.objects.get(pk=event.pk)
    rsvp_create(event=event, member=MemberFactory())
    stale.title = "Nytt namn"
    event_save(event=stale, changed_fields=["title"])
    event.refresh_from_db()
    assert (event.title, event.going_count) == ("Nytt namn", 1)


def test_event_save_time_change_raises_sequence_and_tells_attendees(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory()
    attendee = MemberFactory(preferred_language="en")
    rsvp_create(event=event, member=attendee)
    mailoutbox.clear()
    event.refresh_from_db()
    event.start += timedelta(hours=1)
    event.end += timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        event_save(event=event, changed_fields=["start", "end"])
    event.refresh_from_db()
    assert event.sequence == 1
    assert [m.to for m in mailoutbox] == [[attendee.email]]
    assert "Changed time or place" in mailoutbox[0].subject
    ics = Calendar.from_ical(mailoutbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert ics["SEQUENCE"] == 1


def test_event_save_title_change_keeps_sequence(mailoutbox):
    event = EventFactory()
    event.title = "Annat"
    event_save(event=event, changed_fields=["title"])
    event.refresh_from_db()
    assert event.sequence == 0


def test_event_cancel_marks_cancelled_and_tells_everyone(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=1)
    going = rsvp_create(event=event, member=MemberFactory())
    waiting = rsvp_create(event=event, member=MemberFactory())
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.sequence == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([going.member.email, waiting.member.email])
    ics = Calendar.from_ical(mailoutbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert ics["STATUS"] == "CANCELLED"


def test_event_publish_makes_draft_visible():
    event = EventFactory(status=Event.Status.DRAFT)
    assert not Event.objects.upcoming().exists()
    event_publish(event=event)
    assert list(Event.objects.upcoming()) == [event]


@pytest.mark.django_db(transaction=True)
def test_rsvp_create_waits_at_most_the_lock_timeout_with_a_friendly_message(settings):
    """A lock held elsewhere makes the RSVP give up with a message, not hang."""
    settings.EVENT_LOCK_TIMEOUT_MS = 200
    event, member = EventFactory(), MemberFactory()
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        try:
            with transaction.atomic():
                Event.objects.select_for_update().get(pk=event.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    locked.wait(timeout=10)
    try:
        with translation.override("sv"), pytest.raises(RsvpError) as error:
            rsvp_create(event=event, member=member)
    finally:
        release.set()
        holder.join()
    assert error.value.code == "busy"
    with translation.override("sv"):
        assert error.value.messages == ["Många svarar just nu. Försök igen om en liten stund."]
    assert not Rsvp.objects.exists()
