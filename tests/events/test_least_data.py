"""What hosts are shown and told: the least data their event needs, and what others see of them.

Member-hosts see attendees' names and stated needs, not their addresses (those are for organisers and
staff with a second factor); the RSVP form says so; topic suggestions name only topics in public use;
the propose form and the co-host pages say that a host's name is shown with the event.
"""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from events.models import CohostInvite
from events.services import sessions as board
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory, organisers_group
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db

ADDRESS = "ada.deltagare@example.org"
NEEDS = "Hörslinga i salen"
PRIVATE_INTEREST = "Hemlig Diagnosgrupp"


@pytest.fixture
def event():
    event = EventFactory(title="Frukost i Gävle")
    event.tags.add("klarspråk")
    attendee = MemberFactory(name="Ada Deltagare", email=ADDRESS, is_public=False)
    rsvp_create(event=event, member=attendee, accessibility_needs=NEEDS)
    return event


def host_of(event, **kwargs):
    host = MemberFactory(name="Vera Värd", **kwargs)
    event.organisers.add(host)
    return host


def exports(client, event) -> dict[str, str]:
    """The attendee page, its CSV and the cells of its .xlsx, as text."""
    slug = event.slug
    xlsx = client.get(reverse("events:organiser-attendees-xlsx", args=[slug])).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    workbook = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    return {
        "page": client.get(reverse("events:organiser-attendees", args=[slug])).content.decode(),
        "csv": client.get(reverse("events:organiser-attendees-csv", args=[slug])).content.decode("utf-8-sig"),
        "xlsx": workbook,
    }


def test_a_member_host_sees_names_and_needs_but_no_addresses(event):
    client = Client()
    client.force_login(host_of(event))
    for name, text in exports(client, event).items():
        assert "Ada Deltagare" in text and NEEDS in text, name
        assert ADDRESS not in text, name
    page = exports(client, event)["page"]
    assert "Deltagarnas e-postadresser visas inte för värdar" in page
    assert reverse("events:host-message", args=[event.slug]) in page


def test_an_organiser_who_hosts_sees_addresses_with_a_second_factor_only(event):
    organiser = host_of(event)
    organiser.groups.add(organisers_group())
    client = Client()
    client.force_login(organiser)
    assert all(ADDRESS not in text for text in exports(client, event).values())
    force_login_with_second_factor(client, organiser)
    assert all(ADDRESS in text for text in exports(client, event).values())


def test_staff_with_a_second_factor_see_addresses(event):
    client = Client()
    force_login_with_second_factor(client, MemberFactory(is_staff=True))
    texts = exports(client, event)
    assert all(ADDRESS in text and NEEDS in text for text in texts.values())
    assert "Deltagarnas e-postadresser visas inte" not in texts["page"]


def test_the_rsvp_form_says_what_the_hosts_will_see(event):
    client = Client()
    client.force_login(MemberFactory())
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Evenemangets värdar ser ditt namn och de behov du anger här" in page
    assert "ser inte din e-postadress" in page


# --- Topic suggestions: only topics in public use ----------------------------------------------------


def test_topic_suggestions_offer_no_interest_that_only_a_private_profile_carries(event):
    MemberFactory(is_public=False).interests.add(PRIVATE_INTEREST)
    EventFactory(title="Utkast", status="draft").tags.add("Hemligt Utkast")
    host = host_of(event)
    client = Client()
    client.force_login(host)
    pages = [
        client.get(reverse("events:event-propose")).content.decode(),
        client.get(reverse("events:host-edit", args=[event.slug])).content.decode(),
    ]
    for page in pages:
        assert '<option value="klarspråk">' in page  # the topic page's own tag is offered
        assert PRIVATE_INTEREST not in page
        assert "Hemligt Utkast" not in page
    # The same set as the topic pages: the private interest has none, the public topic has one.
    assert Client().get(reverse("topic-detail", args=["hemlig-diagnosgrupp"])).status_code == 404
    assert Client().get(reverse("topic-detail", args=["klarspråk"])).status_code == 200


# --- Hosts are told that their name is shown ---------------------------------------------------------


def test_the_propose_form_says_that_the_hosts_name_is_shown(client):
    client.force_login(MemberFactory(is_public=False))
    page = client.get(reverse("events:event-propose")).content.decode()
    assert "Ditt namn visas med evenemanget som dess värd, på dess offentliga sida" in page


def test_the_session_propose_form_says_that_the_proposers_name_is_shown():
    """As on the session's public page ("Proposed by"), whatever the profile's privacy."""
    event = EventFactory(kind="unconference")
    member = MemberFactory(name="Petra Privat", is_public=False)
    for language, sentence in (
        ("sv", "Ditt namn visas med sessionen som dess förslagsställare, på dess offentliga sida"),
        ("en", "Your name is shown with the session as its proposer, on its public page"),
    ):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(member)
        assert sentence in client.get(reverse("events:session-propose", args=[event.slug])).content.decode()
    session = board.session_propose(event=event, member=member, title="Klarspråk", pitch="Om det.")
    assert "Petra Privat" in Client().get(session.get_absolute_url()).content.decode()


def test_the_cohost_pages_say_that_a_hosts_name_is_shown(event):
    host = host_of(event)
    client = Client()
    client.force_login(host)
    invite_page = client.get(reverse("events:cohost-invite", args=[event.slug])).content.decode()
    assert "En medvärds namn visas med evenemanget på dess offentliga sida" in invite_page
    invited = MemberFactory(is_public=False)
    invite = CohostInvite.objects.create(event=event, email=invited.email, invited_by=host)
    client.force_login(invited)
    accept_page = client.get(reverse("events:cohost-accept", args=[invite.token])).content.decode()
    assert "Ditt namn visas med evenemanget som en av dess värdar" in accept_page
