"""A co-host invitation is bound to its address: only the member who has it verified may accept it, it
expires, a host sends a few a day, and a new one to the same address replaces the old."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from events.models import CohostInvite
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db

INVITED = "ny.vard@example.org"


@pytest.fixture
def host_event():
    host = MemberFactory(name="Hanna Värd")
    event = EventFactory(title="Frukost i Umeå")
    event.organisers.add(host)
    return host, event


def invite(client, commit, host, event, email=INVITED):
    client.force_login(host)
    with commit():
        return client.post(reverse("events:cohost-invite", args=[event.slug]), {"email": email})


def accept_link(email=INVITED) -> str:
    token = CohostInvite.objects.open().get(email=email).token
    return reverse("events:cohost-accept", args=[token])


def test_a_forwarded_link_does_not_make_another_member_a_host(client, commit, host_event, mailoutbox):
    host, event = host_event
    invite(client, commit, host, event)
    link = accept_link()
    assert link in mailoutbox[0].body

    stranger = MemberFactory(email="vidarebefordrad@example.org")
    client.force_login(stranger)
    page = client.get(link)
    assert page.status_code == 403
    assert "Inbjudan skickades till en annan e-postadress" in page.content.decode()
    assert "Tacka ja" not in page.content.decode()  # no button to press
    response = client.post(link)
    assert response.status_code == 403
    assert "Inbjudan skickades till en annan e-postadress" in response.content.decode()
    assert not event.organisers.filter(pk=stranger.pk).exists()

    # The control: the member with the invited address accepts the same link.
    invited = MemberFactory(email=INVITED)
    client.force_login(invited)
    assert client.post(link).status_code == 302
    assert event.organisers.filter(pk=invited.pk).exists()
    used = client.post(link)
    assert used.status_code == 410
    assert "Inbjudan har redan tagits emot" in used.content.decode()


def test_an_address_not_yet_confirmed_cannot_accept(client, commit, host_event):
    host, event = host_event
    invite(client, commit, host, event)
    link = accept_link()
    member = MemberFactory(email="annan@example.org")
    EmailAddress.objects.create(user=member, email=INVITED, verified=False, primary=False)
    client.force_login(member)
    assert client.post(link).status_code == 403
    assert not event.organisers.filter(pk=member.pk).exists()

    EmailAddress.objects.filter(user=member, email=INVITED).update(verified=True)
    assert client.post(link).status_code == 302
    assert event.organisers.filter(pk=member.pk).exists()


def test_the_address_is_compared_as_allauth_stores_it(client, commit, host_event):
    host, event = host_event
    invite(client, commit, host, event, email="  Ny.Vard@Example.ORG ")
    assert CohostInvite.objects.get().email == INVITED
    invited = MemberFactory(email=INVITED)
    client.force_login(invited)
    assert client.post(accept_link()).status_code == 302
    assert event.organisers.filter(pk=invited.pk).exists()


def test_an_invitation_expires_after_fourteen_days(client, commit, host_event, settings):
    assert timedelta(days=14) == settings.COHOST_INVITE_VALID
    host, event = host_event
    invite(client, commit, host, event)
    link = accept_link()
    invited = MemberFactory(email=INVITED)
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        client.force_login(invited)  # a session of that day
        page = client.get(link)
        assert page.status_code == 410
        assert "Inbjudan har gått ut" in page.content.decode()
        assert client.post(link).status_code == 410
        assert not event.organisers.filter(pk=invited.pk).exists()
        # Nor does the host see it as waiting any more.
        client.force_login(host)
        assert INVITED not in client.get(reverse("events:cohost-invite", args=[event.slug])).content.decode()
    # The control: the day before, the same link works.
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        client.force_login(invited)
        assert client.post(link).status_code == 302
    assert event.organisers.filter(pk=invited.pk).exists()


def test_a_second_invitation_replaces_the_first(client, commit, host_event, mailoutbox):
    host, event = host_event
    invite(client, commit, host, event)
    old = accept_link()
    invite(client, commit, host, event, email="NY.VARD@example.org")
    new = accept_link()
    assert old != new and len(mailoutbox) == 2
    page = client.get(reverse("events:cohost-invite", args=[event.slug])).content.decode()
    assert page.count(INVITED) == 1  # one waiting invitation, not two

    invited = MemberFactory(email=INVITED)
    client.force_login(invited)
    response = client.post(old)
    assert response.status_code == 410
    assert "En nyare inbjudan har skickats" in response.content.decode()
    assert not event.organisers.filter(pk=invited.pk).exists()
    assert client.post(new).status_code == 302
    assert event.organisers.filter(pk=invited.pk).exists()


def test_a_host_sends_at_most_five_invitations_a_day_per_event(client, commit, host_event, mailoutbox):
    host, event = host_event
    for n in range(5):
        assert invite(client, commit, host, event, email=f"vard{n}@example.org").status_code == 302
    refused = invite(client, commit, host, event, email="vard5@example.org")
    assert refused.status_code == 200
    assert "Högst 5 inbjudningar om dagen" in refused.content.decode()
    assert len(mailoutbox) == 5
    assert CohostInvite.objects.count() == 5
    # Replacing an invitation is a new mail too: it counts.
    assert "Högst 5" in invite(client, commit, host, event, email="vard0@example.org").content.decode()
    # Another event of the same host has its own allowance, and tomorrow this one has again.
    other = EventFactory()
    other.organisers.add(host)
    assert invite(client, commit, host, other, email="vard5@example.org").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):  # invite() signs in again
        assert invite(client, commit, host, event, email="vard5@example.org").status_code == 302
    assert len(mailoutbox) == 7


def test_the_refusals_are_in_english_too(client, commit, host_event):
    host, event = host_event
    invite(client, commit, host, event)
    stranger = MemberFactory(email="vidarebefordrad@example.org", preferred_language="en")
    client.force_login(stranger)
    client.cookies["django_language"] = "en"
    page = client.get(accept_link(), HTTP_ACCEPT_LANGUAGE="en")
    assert "This invitation was sent to another email address" in page.content.decode()


def test_an_unknown_token_is_not_found(client):
    client.force_login(MemberFactory())
    assert client.get(reverse("events:cohost-accept", args=["nothing-like-a-token"])).status_code == 404
