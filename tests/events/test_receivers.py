"""Account deletion and data export, through the members app's signals (members.signals)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from events.models import Event, Rsvp
from events.services.hosting import cohost_invite, event_message_send, event_report, rsvp_check_in
from events.services.rsvps import rsvp_create
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
    rsvp_create(event=event, member=leaving)
    rsvp_create(event=event, member=waiting)
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
    rsvp_create(event=event, member=leaving, show_publicly=True, dietary_needs="Vegan")
    rsvp_create(event=event, member=staying)
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
    rsvp_create(event=event, member=member, accessibility_needs="Hörslinga")
    replies = dict(
        response for _receiver, response in member_exporting.send(sender=type(member), member=member)
    )
    [exported] = replies["event_rsvps"]
    assert exported["event"] == "Exportträffen"
    assert exported["status"] == "going"
    assert exported["accessibility_needs"] == "Hörslinga"
    assert exported["created"]


def test_member_export_and_deletion_include_what_they_did_as_a_host():
    from events.models import CohostInvite, EventMessage, EventReport

    host = MemberFactory(email="vard@example.org")
    event = EventFactory(title="Värdträffen", proposed_by=host)
    event.organisers.add(host)
    event_message_send(event=event, author=host, audience="going", subject="Hej", body="Välkomna")
    event_report(event=EventFactory(title="Konstig träff"), reporter=host, reason="Fel datum")
    cohost_invite(event=EventFactory(title="Annans träff"), email="VARD@example.org", invited_by=None)
    rsvp = rsvp_create(event=event, member=host)
    rsvp_check_in(rsvp=rsvp)

    replies = dict(response for _receiver, response in member_exporting.send(sender=type(host), member=host))

    hosting = replies["event_hosting"]
    assert [(e["event"], e["proposed_by_me"]) for e in hosting["events_proposed_or_hosted"]] == [
        ("Värdträffen", True)
    ]
    assert [(m["subject"], m["body"]) for m in hosting["messages_to_attendees"]] == [("Hej", "Välkomna")]
    assert [(r["event"], r["reason"]) for r in hosting["reports"]] == [("Konstig träff", "Fel datum")]
    assert [i["event"] for i in hosting["cohost_invitations"]] == ["Annans träff"]
    assert replies["event_rsvps"][0]["arrived"]

    _delete(host)

    assert not CohostInvite.objects.exists()  # the invitation named their address
    assert EventMessage.objects.get().author is None  # kept on the event, its author unknown
    assert EventReport.objects.get().reporter is None
    assert Event.objects.get(title="Värdträffen").proposed_by is None
