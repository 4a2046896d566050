"""Creates that a unique constraint guards, sent twice at the same moment (a double click, two tabs,
two invitations): each answers as the ordinary outcome, never an IntegrityError (a 500). Real
threads on PostgreSQL meeting at the insert (tests/helpers/races.py), each with a control that shows
the same harness makes the race happen without the guard."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError
from django.utils import timezone
from taggit.models import Tag

from events.models import CohostInvite, Event, EventSeries, Follow, Rsvp
from events.services.follows import follow_create
from events.services.hosting import HostError, cohost_accept
from events.services.rsvps import RsvpError, rsvp_create
from events.services.series import series_propose
from members.services import member_profile_update
from tests.factories import EventFactory, MemberFactory
from tests.helpers.races import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_following_a_city_twice_at_once_is_one_follow():
    EventFactory(city="Malmö")
    member = MemberFactory()

    def follow():
        return follow_create(member=member, kind="city", city="malmö").pk

    results = at_once([follow, follow], table="events_follow")

    assert results[0] == results[1] and isinstance(results[0], int), results
    assert list(Follow.objects.filter(member=member).values_list("city", flat=True)) == ["Malmö"]


def test_following_a_city_twice_at_once_without_the_guard_fails_once():
    """The control: the check-then-insert the service made before, in the same harness."""
    member = MemberFactory()

    def follow():
        if not Follow.objects.filter(member=member, kind="city", city__iexact="Malmö").exists():
            Follow.objects.create(member=member, kind="city", city="Malmö")

    results = at_once([follow, follow], table="events_follow")

    assert sum(isinstance(result, IntegrityError) for result in results) == 1


def _two_invitations():
    """Two hosts invited the same member, each at one of the member's two verified addresses (one open
    invitation per address and event: a second one to the same address replaces the first)."""
    event = EventFactory()
    hosts = [MemberFactory(), MemberFactory()]
    event.organisers.add(*hosts)
    member = MemberFactory()
    addresses = [member.email, f"andra.{member.email}"]
    for address in addresses:
        EmailAddress.objects.update_or_create(
            user=member, email=address, defaults={"verified": True, "primary": address == member.email}
        )
    invites = [
        CohostInvite.objects.create(event=event, email=address, invited_by=host)
        for address, host in zip(addresses, hosts, strict=True)
    ]
    return event, member, invites


def test_one_invitation_accepted_twice_at_once_answers_both_times():
    """A double click on "accept": the invitation's row lock lets one in, and the second, which found
    it used, answered "This invitation has been used" to the member who had just used it."""
    event, member, invites = _two_invitations()

    calls = [lambda: cohost_accept(token=invites[0].token, member=member).pk] * 2
    results = at_once(calls, table="events_event_organisers", waiting=1)

    assert results == [event.pk, event.pk]


def test_two_invitations_accepted_at_once_make_one_cohost():
    """Two hosts invited the same member (at two addresses), who accepts both at once: Django adds to an
    auto-created many-to-many table with ON CONFLICT DO NOTHING, so this create cannot race; shown
    here, not guarded again."""
    event, member, invites = _two_invitations()

    calls = [lambda invite=invite: cohost_accept(token=invite.token, member=member).pk for invite in invites]
    results = at_once(calls, table="events_event_organisers")

    assert results == [event.pk, event.pk]
    assert event.organisers.filter(pk=member.pk).count() == 1


def test_a_new_topic_added_by_two_members_at_once_is_one_topic():
    members = [MemberFactory(), MemberFactory()]

    calls = [
        lambda member=member: (
            member_profile_update(member=member, name=member.name, interests=["Nytt ämne"]) and None
        )
        for member in members
    ]
    results = at_once(calls, table="taggit_tag")

    assert results == [None, None]
    assert list(Tag.objects.values_list("name", flat=True)) == ["Nytt ämne"]
    assert all(list(member.interests.names()) == ["Nytt ämne"] for member in members)


def test_a_new_topic_created_twice_at_once_without_taggits_lookup_fails_once():
    """The control: the insert alone, twice in the same harness."""
    results = at_once(
        [lambda: Tag.objects.create(name="Nytt ämne", slug="nytt-amne")] * 2, table="taggit_tag"
    )

    assert sum(isinstance(result, IntegrityError) for result in results) == 1


def test_an_rsvp_sent_twice_at_once_is_one_rsvp_and_an_answer():
    event = EventFactory()
    member = MemberFactory()

    def answer():
        try:
            return rsvp_create(event=event, member=member).status
        except RsvpError as error:
            return error.code

    results = at_once([answer, answer], table="events_rsvp", waiting=2)

    assert sorted(results) == ["duplicate", "going"] or results == ["going", "going"], results
    assert Rsvp.objects.filter(event=event, member=member).count() == 1


def test_an_rsvp_inserted_twice_at_once_fails_once():
    """The control: the insert alone, twice in the same harness."""
    event = EventFactory()
    member = MemberFactory()

    results = at_once(
        [lambda: Rsvp.objects.create(event=event, member=member, status="going")] * 2, table="events_rsvp"
    )

    assert sum(isinstance(result, IntegrityError) for result in results) == 1


def _propose_series(host, days: int):
    start = timezone.now() + timedelta(days=days)
    return series_propose(
        event=Event(title=f"Serie {days}", summary="En träff.", start=start, end=start + timedelta(hours=1)),
        member=host,
        frequency=EventSeries.Frequency.WEEKLY,
        count=3,
        trusted=False,
    )


def test_two_series_proposed_at_once_with_one_proposal_left_make_one(settings):
    """The member's row lock: the second waits for the first, then counts its series (once) and is refused."""
    settings.EVENT_PROPOSALS_PER_DAY = 3
    host = MemberFactory()
    _propose_series(host, 10)
    _propose_series(host, 20)

    calls = [lambda: _propose_series(host, 30).pk, lambda: _propose_series(host, 40).pk]
    results = at_once(calls, table="events_eventseries")

    refused = [result for result in results if isinstance(result, HostError)]
    assert len(refused) == 1 and refused[0].code == "rate", results
    assert EventSeries.objects.filter(proposed_by=host).count() == 3
    assert Event.objects.filter(proposed_by=host).count() == 9


def test_two_series_proposed_at_once_without_the_lock_both_pass():
    """The control: the same count and insert without the member's row lock, in the same harness."""
    host = MemberFactory()
    _propose_series(host, 10)
    _propose_series(host, 20)

    def propose(n: int):
        if Event.objects.proposed_since(host, timezone.now() - timedelta(days=1)).count() < 3:
            EventSeries.objects.create(title=f"Serie {n}", slug=f"serie-kontroll-{n}", frequency="weekly")

    at_once([lambda: propose(1), lambda: propose(2)], table="events_eventseries")

    assert EventSeries.objects.filter(slug__startswith="serie-kontroll").count() == 2
