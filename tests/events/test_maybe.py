"""A "kanske" (maybe): a third answer on meetups that takes no place, counted on the event row."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app

from events.models import Event, Rsvp
from events.services.events import event_cancel, event_save
from events.services.hosting import rsvp_remove
from events.services.rsvps import (
    RsvpError,
    rsvp_cancel,
    rsvp_create,
    rsvp_maybe_invitations_send,
    rsvp_maybe_promote,
)
from events.tasks import event_maybe_invitations_send
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _counts(event) -> tuple[int, int, int]:
    event.refresh_from_db()
    return event.going_count, event.waitlist_count, event.maybe_count


def _rows(event) -> tuple[int, int, int]:
    rsvps = Rsvp.objects.filter(event=event)
    return rsvps.going().count(), rsvps.waitlisted().count(), rsvps.maybe().count()


def test_a_maybe_takes_no_place_and_is_counted_on_the_event_row():
    event = EventFactory(capacity=1)
    for _ in range(3):
        rsvp_create(event=event, member=MemberFactory(), maybe=True)
    going = rsvp_create(event=event, member=MemberFactory())

    assert going.status == Rsvp.Status.GOING  # three maybes did not fill the one place
    assert _counts(event) == (1, 0, 3) == _rows(event)


def test_counts_stay_exact_through_promote_cancel_and_removal():
    event = EventFactory(capacity=2)
    maybes = [rsvp_create(event=event, member=MemberFactory(), maybe=True) for _ in range(4)]
    rsvp_maybe_promote(rsvp=maybes[0])
    rsvp_maybe_promote(rsvp=maybes[1])
    third = rsvp_maybe_promote(rsvp=maybes[2])  # full: the waitlist
    assert third.status == Rsvp.Status.WAITLISTED
    assert _counts(event) == (2, 1, 1) == _rows(event)

    rsvp_cancel(rsvp=maybes[3])
    assert _counts(event) == (2, 1, 0) == _rows(event)
    rsvp_cancel(rsvp=maybes[0])  # a place frees: the former maybe on the waitlist gets it
    assert Rsvp.objects.get(pk=third.pk).status == Rsvp.Status.GOING
    assert _counts(event) == (2, 0, 0) == _rows(event)

    another = rsvp_create(event=event, member=MemberFactory(), maybe=True)
    rsvp_remove(rsvp=another, reason="")
    assert _counts(event) == (2, 0, 0) == _rows(event)


def test_a_host_edit_keeps_the_maybe_count_the_form_did_not_see():
    event = EventFactory()
    stale = Event.objects.get(pk=event.pk)
    rsvp_create(event=event, member=MemberFactory(), maybe=True)
    stale.title = "Ny titel"
    event_save(event=stale, changed_fields={"title"})
    assert _counts(event) == (0, 0, 1)


def test_a_maybe_is_only_for_meetups():
    conference = EventFactory(kind=Event.Kind.CONFERENCE)
    with pytest.raises(RsvpError) as error:
        rsvp_create(event=conference, member=MemberFactory(), maybe=True)
    assert error.value.code == "no-maybe"
    assert _counts(conference) == (0, 0, 0)


def test_a_member_has_one_answer_maybe_included():
    event = EventFactory()
    member = MemberFactory()
    rsvp_create(event=event, member=member, maybe=True)
    with pytest.raises(RsvpError) as error:
        rsvp_create(event=event, member=member)
    assert error.value.code == "duplicate"
    assert _counts(event) == (0, 0, 1)


def test_the_event_page_says_how_many_come_and_how_many_maybe_and_names_no_maybe(client):
    event = EventFactory(capacity=20)
    for _ in range(2):
        rsvp_create(event=event, member=MemberFactory())
    rsvp_create(
        event=event,
        member=MemberFactory(name="Synlig Kanske", is_public=True),
        show_publicly=True,
        maybe=True,
    )
    rsvp_create(event=event, member=MemberFactory(), maybe=True)

    english = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    swedish = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()

    assert "2 going, 2 maybe" in english
    assert "2 kommer, 2 kanske" in swedish
    assert "18 places left of 20" in english  # maybes take no place
    # Who answered maybe is private: counted, never named, even with "others may see" ticked.
    assert "Synlig Kanske" not in english


def test_the_counts_on_the_page_follow_each_answer_at_once(client, commit):
    """The attendee fragment and the page kept for visitors follow the generation every answer bumps."""
    event = EventFactory()
    url = event.get_absolute_url()

    def attendees() -> str:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        return page.split('id="attendees-heading"')[1].split("</section>")[0]

    with commit():
        rsvp_create(event=event, member=MemberFactory())
        maybe = rsvp_create(event=event, member=MemberFactory(), maybe=True)
    assert "1 going, 1 maybe" in attendees()
    with commit():
        rsvp_maybe_promote(rsvp=maybe)
    assert "maybe" not in attendees()
    with commit():
        again = rsvp_create(event=event, member=MemberFactory(), maybe=True)
    assert "2 going, 1 maybe" in attendees()
    with commit():
        rsvp_cancel(rsvp=again)
    assert "maybe" not in attendees()


def test_maybe_then_yes_in_one_click_without_javascript(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=3)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("events:rsvp-create", args=[event.slug]),
            {"answer": "maybe"},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()
    assert "You answered maybe" in page
    assert reverse("events:rsvp-maybe-promote", args=[event.slug]) in page
    assert mailoutbox == []  # a maybe is not confirmed by mail
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("events:rsvp-maybe-promote", args=[event.slug]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "You're going ✓" in page
    assert "2 places left of 3" in page
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert _counts(event) == (1, 0, 0)


def test_the_maybe_button_is_offered_on_meetups_only(client, member):
    client.force_login(member)
    meetup = EventFactory()
    workshop = EventFactory(kind=Event.Kind.WORKSHOP)
    assert 'value="maybe"' in client.get(meetup.get_absolute_url()).content.decode()
    assert 'value="maybe"' not in client.get(workshop.get_absolute_url()).content.decode()


def test_change_notices_and_cancellation_reach_the_maybes(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory()
    maybe = MemberFactory(preferred_language="en")
    rsvp_create(event=event, member=maybe, maybe=True)
    with django_capture_on_commit_callbacks(execute=True):
        event.start += timedelta(hours=1)
        event.end += timedelta(hours=1)
        event_save(event=event, changed_fields={"start", "end"})
    assert [m.to for m in mailoutbox] == [[maybe.email]]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event)
    assert [m.to for m in mailoutbox] == [[maybe.email]]
    assert "cancelled" in mailoutbox[0].body


def _tomorrow_event(**fields):
    start = timezone.now() + timedelta(hours=20)
    return EventFactory(start=start, end=start + timedelta(hours=2), **fields)


def test_the_day_before_invitation_goes_to_maybes_only_while_places_are_left(
    mailoutbox, django_capture_on_commit_callbacks
):
    with_places = _tomorrow_event(title="Träffen med plats", capacity=5)
    full = _tomorrow_event(title="Den fulla träffen", capacity=1)
    later = EventFactory(capacity=5)  # a week away: not yet
    invited = MemberFactory(preferred_language="en")
    rsvp_create(event=with_places, member=invited, maybe=True)
    rsvp_create(event=with_places, member=MemberFactory())  # going: gets the reminder, not this
    rsvp_create(event=full, member=MemberFactory())
    rsvp_create(event=full, member=MemberFactory(), maybe=True)
    rsvp_create(event=later, member=MemberFactory(), maybe=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert rsvp_maybe_invitations_send() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert rsvp_maybe_invitations_send() == 0  # once per answer
    assert [m.to for m in mailoutbox] == [[invited.email]]
    assert "Places are left tomorrow: Träffen med plats" in mailoutbox[0].subject
    assert with_places.get_absolute_url() in mailoutbox[0].body


def test_an_invitation_queued_while_places_were_left_is_not_sent_once_the_event_is_full(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = _tomorrow_event(capacity=1)
    rsvp_create(event=event, member=MemberFactory(), maybe=True)
    rsvp_maybe_invitations_send()  # queued, its job not yet run
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(event=event, member=MemberFactory())  # the last place goes; runs the queued jobs
    assert [m.subject for m in mailoutbox if "Places are left" in m.subject] == []


def test_the_invitation_is_a_periodic_job_of_the_workers():
    schedule = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert schedule["event_maybe_invitations_send"] == "5-59/10 * * * *"
    event = _tomorrow_event()
    rsvp_create(event=event, member=MemberFactory(), maybe=True)
    assert event_maybe_invitations_send(timestamp=0) == 1
    assert Rsvp.objects.get(event=event).maybe_invited_at is not None


def test_the_organisers_list_shows_the_maybes(client):
    event = EventFactory()
    host = MemberFactory()
    event.organisers.add(host)
    rsvp_create(event=event, member=MemberFactory(name="Kanske Kvist"), maybe=True)
    client.force_login(host)
    page = client.get(reverse("events:organiser-attendees", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Maybe (1)" in page.content.decode()
    assert "Kanske Kvist" in page.content.decode()


# --- Capacity when maybes say yes at once: real threads, with a control ------------------------------

MAYBES = 30
CAPACITY = 8


def _promote_all_at_once(rsvps, *, lock: bool) -> list[BaseException]:
    barrier = threading.Barrier(len(rsvps))
    errors: list[BaseException] = []

    def promote(rsvp):
        try:
            barrier.wait(timeout=30)
            rsvp_maybe_promote(rsvp=rsvp, lock=lock)
        except BaseException as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=promote, args=(rsvp,)) for rsvp in rsvps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_maybes_saying_yes_at_once_never_exceed_capacity(settings):
    settings.EVENT_LOCK_TIMEOUT_MS = 30_000
    event = EventFactory(capacity=CAPACITY)
    rsvps = [rsvp_create(event=event, member=MemberFactory(), maybe=True) for _ in range(MAYBES)]

    assert _promote_all_at_once(rsvps, lock=True) == []

    assert _rows(event) == (CAPACITY, MAYBES - CAPACITY, 0)
    assert _counts(event) == _rows(event)


@pytest.mark.django_db(transaction=True)
def test_maybes_saying_yes_at_once_without_the_lock_oversell():
    """The control: the same harness without the event row's lock gives more places than there are."""
    event = EventFactory(capacity=CAPACITY)
    rsvps = [rsvp_create(event=event, member=MemberFactory(), maybe=True) for _ in range(MAYBES)]

    _promote_all_at_once(rsvps, lock=False)

    assert Rsvp.objects.filter(event=event).going().count() > CAPACITY
