"""A published event rewritten by a host who is not trusted: the text and the online link wait for a
moderator, the approved version stays live, and attendees hear of it only once it is approved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventChange
from events.services.rsvps import rsvp_create
from tests.factories import EventFactory, MemberFactory, events_permission
from tests.helpers.forms import host_form_data as edit_data
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Gratis kryptovaluta hos oss",
    "summary": "Klicka på länken och vinn.",
    "online_url": "https://phish.example/mote",
}


# Whole minutes, as the form gives them: no change of time when nobody changed it.
START = (timezone.now() + timedelta(days=5)).replace(second=0, microsecond=0)


@pytest.fixture
def published():
    host = MemberFactory(name="Hanna Värd")
    event = EventFactory(
        title="Frukost om klarspråk",
        summary="Vi pratar klarspråk.",
        city="Umeå",
        online_url="https://meet.example.org/frukost",
        format=Event.Format.HYBRID,
        start=START,
        end=START + timedelta(hours=2),
        status=Event.Status.PUBLISHED,
    )
    event.organisers.add(host)
    event.tags.add("klarspråk")
    attendee = MemberFactory(email="deltagare@example.org")
    rsvp_create(event=event, member=attendee)
    reviewer = MemberFactory(is_staff=True, email="granskare@example.org")
    event.refresh_from_db()
    return {"host": host, "event": event, "attendee": attendee, "reviewer": reviewer}


def edit(client, event, **changes):
    return client.post(reverse("events:host-edit", args=[event.slug]), edit_data(event, **changes))


def test_an_untrusted_hosts_rewrite_waits_and_the_approved_version_stays_live(
    client, commit, published, mailoutbox
):
    event, host = published["event"], published["host"]
    client.force_login(host)
    with commit():
        response = edit(client, event, **NEW)
    assert response.status_code == 302

    event.refresh_from_db()
    assert (event.title, event.summary, event.online_url) == (
        "Frukost om klarspråk",
        "Vi pratar klarspråk.",
        "https://meet.example.org/frukost",
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Frukost om klarspråk" in page and "kryptovaluta" not in page
    # Attendees are not mailed; the moderators are.
    assert [m.to for m in mailoutbox] == [[published["reviewer"].email]]
    assert "kryptovaluta" not in mailoutbox[0].body
    # The host sees that it waits, and edits on from their change.
    own = client.get(reverse("events:host-edit", args=[event.slug])).content.decode()
    assert "väntar på en moderator" in own
    assert 'value="Gratis kryptovaluta hos oss"' in own

    # The moderator sees the approved and the proposed text side by side.
    force_login_with_second_factor(client, published["reviewer"])
    review = client.get(reverse("events:review-list")).content.decode()
    assert "Ändringar av publicerade evenemang" in review
    for approved, proposed in [
        ("Frukost om klarspråk", NEW["title"]),
        ("Vi pratar klarspråk.", NEW["summary"]),
        ("https://meet.example.org/frukost", NEW["online_url"]),
    ]:
        rows = review.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
        assert any(approved in row and proposed in row for row in rows), (approved, proposed)

    mailoutbox.clear()
    with commit():
        client.post(reverse("events:review-approve", args=[event.slug]))
    event.refresh_from_db()
    assert event.title == NEW["title"] and event.online_url == NEW["online_url"]
    assert not EventChange.objects.exists()
    to_attendee = [m for m in mailoutbox if m.to == [published["attendee"].email]]
    assert len(to_attendee) == 1 and NEW["title"] in to_attendee[0].subject + to_attendee[0].body
    assert any(m.to == [host.email] for m in mailoutbox)  # told it is live


def test_a_declined_change_leaves_the_event_and_tells_the_host(client, commit, published, mailoutbox):
    event, host = published["event"], published["host"]
    client.force_login(host)
    with commit():
        edit(client, event, title="Ny rubrik")
    force_login_with_second_factor(client, published["reviewer"])
    mailoutbox.clear()
    with commit():
        client.post(reverse("events:review-decline", args=[event.slug]), {"message": "Rubriken vilseleder."})
    event.refresh_from_db()
    assert event.title == "Frukost om klarspråk"
    assert not EventChange.objects.exists()
    assert [m.to for m in mailoutbox] == [[host.email]]
    assert "Rubriken vilseleder." in mailoutbox[0].body
    assert client.get(reverse("events:host-edit", args=[event.slug])).status_code == 200


def test_a_second_edit_replaces_the_waiting_change_and_keeps_its_first_part(client, commit, published):
    event, host = published["event"], published["host"]
    client.force_login(host)
    with commit():
        edit(client, event, title="Ny rubrik")
    # The form now shows the waiting title: saving the summary too keeps it.
    form_event = Event.objects.get(pk=event.pk)
    form_event.title = "Ny rubrik"
    with commit():
        client.post(
            reverse("events:host-edit", args=[event.slug]),
            edit_data(form_event, summary="Ny sammanfattning."),
        )
    change = EventChange.objects.get()
    assert (change.title, change.summary) == ("Ny rubrik", "Ny sammanfattning.")
    # Back to the approved text: nothing waits any more.
    with commit():
        edit(client, Event.objects.get(pk=event.pk))
    assert not EventChange.objects.exists()


def test_time_and_place_still_change_at_once_and_attendees_are_told(client, commit, published, mailoutbox):
    event, host = published["event"], published["host"]
    client.force_login(host)
    with commit():
        edit(client, event, city="Luleå")
    event.refresh_from_db()
    assert event.city == "Luleå"
    assert not EventChange.objects.exists()
    assert any(m.to == [published["attendee"].email] for m in mailoutbox)


def test_a_trusted_host_publishes_a_rewrite_at_once(client, commit, published, mailoutbox):
    event, host = published["event"], published["host"]
    host.user_permissions.add(events_permission("publish_without_review"))
    client.force_login(host)
    with commit():
        edit(client, event, **NEW)
    event.refresh_from_db()
    assert event.title == NEW["title"] and event.online_url == NEW["online_url"]
    assert not EventChange.objects.exists()
    assert any(m.to == [published["attendee"].email] for m in mailoutbox)  # the new link
    assert not any(m.to == [published["reviewer"].email] for m in mailoutbox)


def test_a_proposal_still_waiting_is_edited_freely(client, commit):
    host = MemberFactory()
    event = EventFactory(status=Event.Status.PENDING, city="Umeå")
    event.organisers.add(host)
    client.force_login(host)
    with commit():
        edit(client, event, title="Bättre rubrik")
    event.refresh_from_db()
    assert event.title == "Bättre rubrik"
    assert not EventChange.objects.exists()
