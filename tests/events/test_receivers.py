"""Account deletion and data export, through the members app's signals (members.signals)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from events import services
from events.models import Event, Rsvp
from members.signals import member_deleting, member_exporting
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _delete(member) -> None:
    """What members' member_delete does: the signal, then the row, in one transaction."""
    with transaction.atomic():
        member_deleting.send(sender=type(member), member=member)
        member.delete()


def test_member_deletion_frees_upcoming_place_for_the_waitlist(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(capacity=1)
    leaving = MemberFactory()
    waiting = MemberFactory()
    services.rsvp_create(event=event, member=leaving)
    services.rsvp_create(event=event, member=waiting)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _delete(leaving)

    event.refresh_from_db()
    assert (event.going_count, event.waitlist_count) == (1, 0)
    assert Rsvp.objects.get(event=event).member == waiting
    assert Rsvp.objects.get(event=event).status == Rsvp.Status.GOING
    assert [m.to for m in mailoutbox] == [[waiting.email]]


def test_member_deletion_keeps_past_headcount_anonymously():
    event = EventFactory()
    leaving, staying = MemberFactory(), MemberFactory()
    services.rsvp_create(event=event, member=leaving, show_publicly=True, dietary_needs="Vegan")
    services.rsvp_create(event=event, member=staying)
    start = timezone.now() - timedelta(days=2)
    Event.objects.filter(pk=event.pk).update(start=start, end=start + timedelta(hours=2))

    _delete(leaving)

    event.refresh_from_db()
    assert event.going_count == 2
    assert Rsvp.objects.going().filter(event=event).count() == 2
    anonymous = Rsvp.objects.get(event=event, member__isnull=True)
    assert (anonymous.show_publicly, anonymous.dietary_needs) == (False, "")


def test_member_export_includes_rsvps():
    member = MemberFactory()
    event = EventFactory(title="Exportträffen")
    services.rsvp_create(event=event, member=member, accessibility_needs="Hörslinga")
    replies = dict(
        response for _receiver, response in member_exporting.send(sender=type(member), member=member)
    )
    [exported] = replies["event_rsvps"]
    assert exported["event"] == "Exportträffen"
    assert exported["status"] == "going"
    assert exported["accessibility_needs"] == "Hörslinga"
    assert exported["created"]
