"""Members propose events from the site; staff and organisers review them."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from events.forms import STOCKHOLM
from events.models import Event
from events.services.follows import follow_create
from events.services.hosting import HostError, event_approve, event_decline, event_resubmit
from events.services.mail import event_mail_render
from tests.factories import EventFactory, MemberFactory, events_permission, organisers_group
from tests.helpers.photos import photo_upload
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db

PROPOSE = reverse("events:event-propose")
REVIEW_SUBJECT = "[One Team Gov Sverige] Ett föreslaget evenemang väntar på granskning"


def local(days: int = 10, hour: int = 8) -> str:
    when = (timezone.now() + timedelta(days=days)).astimezone(STOCKHOLM)
    return when.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def proposal(**overrides) -> dict:
    data = {
        "title": "Frukost om klarspråk i Umeå",
        "kind": "breakfast",
        "summary": "Vi äter frukost och pratar klarspråk.",
        "description": "Välkommen! **Kaffe** finns.",
        "tags": "klarspråk, frukost",
        "start": local(hour=8),
        "end": local(hour=9),
        "rsvp_closes_at": "",
        "venue_name": "Café Station",
        "address": "Storgatan 1",
        "city": "Umeå",
        "online_url": "",
        "capacity": "12",
        "cover_alt": "",
    }
    return data | overrides


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """Run what is queued after commit (mail) at the end of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def organiser_member():
    member = MemberFactory()
    member.groups.add(organisers_group())
    return member


def test_event_propose_without_the_reviewer_permission_row_mails_staff_only(client, mailoutbox, mails):
    """With the moderate_event row gone (a flush, a hand-edited database), a filter on it must not turn
    into "every member in no group": the proposal's review mail went to the proposer and followers."""
    Permission.objects.filter(content_type__app_label="events", codename="moderate_event").delete()
    member = MemberFactory()
    bystander = MemberFactory()
    staff = MemberFactory(is_staff=True)
    client.force_login(member)

    with mails():
        client.post(PROPOSE, proposal())

    assert Event.objects.get(title="Frukost om klarspråk i Umeå").status == Event.Status.PENDING
    recipients = [m.to for m in mailoutbox if m.subject.startswith(REVIEW_SUBJECT)]
    assert recipients == [[staff.email]]
    assert [member.email] not in recipients and [bystander.email] not in recipients
    assert [bystander.email] not in [m.to for m in mailoutbox]


def test_event_propose_by_member_waits_for_review_and_reviewers_are_mailed(client, mailoutbox, mails):
    member = MemberFactory()
    staff = MemberFactory(is_staff=True)
    client.force_login(member)

    with mails():
        response = client.post(PROPOSE, proposal())

    event = Event.objects.get(title="Frukost om klarspråk i Umeå")
    assert response.status_code == 302
    assert event.status == Event.Status.PENDING
    assert event.proposed_by == member
    assert list(event.organisers.all()) == [member]
    assert event.kind == "breakfast"
    assert event.format == Event.Format.ON_SITE
    assert sorted(event.tags.names()) == ["frukost", "klarspråk"]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([staff.email, member.email])  # review, receipt
    assert [m.to for m in mailoutbox if m.subject.startswith(REVIEW_SUBJECT)] == [[staff.email]]
    # Not public until approved.
    assert client.get(event.get_absolute_url()).status_code == 200  # its host sees it
    client.logout()
    assert client.get(event.get_absolute_url()).status_code == 404
    assert "Frukost om klarspråk" not in client.get(reverse("events:event-list")).content.decode()


@pytest.mark.parametrize(
    ("language", "subject", "says"),
    [
        ("sv", "Vi har tagit emot ditt förslag: Frukost om klarspråk i Umeå", "Tack för ditt förslag."),
        ("en", "We have received your proposal: Frukost om klarspråk i Umeå", "Thank you for your proposal."),
    ],
)
def test_event_propose_sends_the_proposer_a_receipt_in_their_language(
    client, mailoutbox, mails, language, subject, says
):
    MemberFactory(is_staff=True)
    member = MemberFactory(preferred_language=language)
    client.force_login(member)

    with mails():
        client.post(PROPOSE, proposal())

    event = Event.objects.get()
    receipts = [m for m in mailoutbox if m.to == [member.email]]
    assert len(receipts) == 1
    assert receipts[0].subject == f"[One Team Gov Sverige] {subject}"
    assert says in receipts[0].body
    assert reverse("events:host-edit", args=[event.slug]) in receipts[0].body


def test_event_proposal_receipt_is_not_sent_once_the_proposal_is_decided():
    """A worker that is behind runs the receipt after a reviewer has approved: the approval says it all."""
    member = MemberFactory()
    event = EventFactory(status=Event.Status.PENDING, proposed_by=member)
    event.organisers.add(member)

    assert event_mail_render(member_id=member.pk, event_id=event.pk, template="proposal_received")
    event_approve(event=event, reviewer=MemberFactory(is_staff=True))
    assert event_mail_render(member_id=member.pk, event_id=event.pk, template="proposal_received") is None


def test_event_resubmit_sends_the_proposer_a_receipt(client, mailoutbox, mails):
    MemberFactory(is_staff=True)
    member = MemberFactory()
    event = EventFactory(status=Event.Status.DECLINED, proposed_by=member)
    event.organisers.add(member)

    with mails():
        event_resubmit(event=event, member=member)

    assert [m.subject for m in mailoutbox if m.to == [member.email]] == [
        f"[One Team Gov Sverige] Vi har tagit emot ditt förslag: {event.title}"
    ]


def test_event_propose_without_verified_address_is_refused(client):
    member = MemberFactory()
    EmailAddress.objects.filter(user=member).update(verified=False)
    client.force_login(member)

    page = client.get(PROPOSE).content.decode()
    response = client.post(PROPOSE, proposal())

    assert "Bekräfta din e-postadress" in page
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_event_propose_by_trusted_host_publishes_at_once(client, mailoutbox, mails):
    MemberFactory(is_staff=True)
    member = MemberFactory()
    member.user_permissions.add(events_permission("publish_without_review"))
    client.force_login(member)

    with mails():
        client.post(PROPOSE, proposal())

    event = Event.objects.get()
    assert event.status == Event.Status.PUBLISHED
    assert mailoutbox == []
    client.logout()
    assert "Frukost om klarspråk" in client.get(reverse("events:event-list")).content.decode()


def test_event_propose_place_online_or_both_sets_the_format(client):
    client.force_login(MemberFactory())
    client.post(PROPOSE, proposal(title="Hybrid", online_url="https://meet.example.org/x"))
    client.post(
        PROPOSE,
        proposal(title="Online", address="", city="", venue_name="", online_url="https://m.example.org"),
    )
    response = client.post(PROPOSE, proposal(title="Nowhere", address="", city="", venue_name=""))

    formats = dict(Event.objects.values_list("title", "format"))
    assert formats == {"Hybrid": "hybrid", "Online": "online"}
    assert "Ange en plats" in response.content.decode()


@pytest.mark.parametrize(
    ("when", "message"),
    [
        # 2027-03-28: the clocks go forward at 02:00 in Sweden; 2027-10-31: back at 03:00.
        ("2027-03-28T02:30", "finns inte i Sverige den dagen"),
        ("2027-10-31T02:30", "inträffar två gånger i Sverige den dagen"),
    ],
)
def test_event_propose_time_missing_or_twice_at_the_clock_change_is_explained(client, when, message):
    client.force_login(MemberFactory())

    response = client.post(PROPOSE, proposal(start=when, end=when[:11] + "05:00"))

    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_event_propose_time_is_swedish_time_in_summer_and_winter(client):
    client.force_login(MemberFactory())
    client.post(PROPOSE, proposal(title="Sommar", start="2027-06-10T08:00", end="2027-06-10T09:00"))
    client.post(PROPOSE, proposal(title="Vinter", start="2027-12-10T08:00", end="2027-12-10T09:00"))

    starts = dict(Event.objects.values_list("title", "start"))
    assert starts["Sommar"] == datetime(2027, 6, 10, 6, 0, tzinfo=UTC)
    assert starts["Vinter"] == datetime(2027, 12, 10, 7, 0, tzinfo=UTC)


def test_event_propose_uses_the_admin_rules(client):
    client.force_login(MemberFactory())

    response = client.post(
        PROPOSE,
        proposal(end=local(hour=7), rsvp_closes_at=local(hour=9), cover_image=photo_upload(), cover_alt=""),
    )

    body = response.content.decode()
    assert "Evenemanget kan inte sluta innan det börjar." in body
    assert "Beskriv omslagsbilden" in body
    assert not Event.objects.exists()


def test_event_propose_cover_goes_through_the_image_service(client):
    client.force_login(MemberFactory())

    client.post(
        PROPOSE, proposal(cover_image=photo_upload(name="min-bild.jpg"), cover_alt="Kaffekoppar på ett bord")
    )

    event = Event.objects.get()
    assert event.cover_alt == "Kaffekoppar på ett bord"
    assert "min-bild" not in event.cover_image.name  # re-encoded under a random name


def test_event_propose_preview_renders_markdown_and_saves_nothing(client):
    client.force_login(MemberFactory())

    response = client.post(PROPOSE, proposal(preview="1", description="Hej **alla** <script>x()</script>"))

    body = response.content.decode()
    assert "<strong>alla</strong>" in body
    assert "<script>x()" not in body
    assert 'value="Frukost om klarspråk i Umeå"' in body
    assert not Event.objects.exists()


def test_event_propose_preview_judges_no_other_field_and_keeps_what_was_typed(client):
    """The preview is asked for while the host is still at the description: the fields below it are
    empty, and the page must show the preview and the typed text, not errors about the rest."""
    client.force_login(MemberFactory())
    typed = {"title": "Klarspråksfika i Uppsala", "summary": "Vi fikar.", "description": "Hej **alla**"}

    response = client.post(PROPOSE, {**typed, "preview": "1"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>alla</strong>" in body
    assert 'value="Klarspråksfika i Uppsala"' in body
    assert "Hej **alla**</textarea>" in body
    assert "Det finns ett problem" not in body
    assert "error-summary" not in body and "errorlist" not in body
    assert not Event.objects.exists()


def test_event_propose_preview_button_skips_the_browsers_validation(client):
    client.force_login(MemberFactory())

    body = client.get(PROPOSE).content.decode()

    assert re.search(r'<button type="submit" name="preview"[^>]* formnovalidate>', body)


def test_event_propose_is_limited_per_member_per_day(client, settings):
    settings.EVENT_PROPOSALS_PER_DAY = 2
    member = MemberFactory()
    client.force_login(member)
    for n in range(3):
        response = client.post(PROPOSE, proposal(title=f"Frukost {n}"))

    assert Event.objects.filter(proposed_by=member).count() == 2
    assert "högst 2 evenemang per dygn" in response.content.decode()
    # Another member is not held back by the first.
    client.force_login(MemberFactory())
    client.post(PROPOSE, proposal(title="Frukost annan"))
    assert Event.objects.count() == 3


def test_review_queue_is_for_staff_and_organisers_only(client):
    EventFactory(title="Väntande frukost", status="pending", proposed_by=MemberFactory())
    url = reverse("events:review-list")
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404
    force_login_with_second_factor(client, organiser_member())
    assert "Väntande frukost" in client.get(url).content.decode()


def test_review_approve_publishes_and_mails_the_host(client, mailoutbox, mails):
    host = MemberFactory()
    event = EventFactory(status="pending", proposed_by=host)
    force_login_with_second_factor(client, organiser_member())

    with mails():
        client.post(reverse("events:review-approve", args=[event.slug]))

    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert [m.to for m in mailoutbox] == [[host.email]]
    assert "publicerat" in mailoutbox[0].subject


def test_review_decline_mails_the_message_and_the_host_resubmits(client, mailoutbox, mails):
    host = MemberFactory()
    client.force_login(host)
    client.post(PROPOSE, proposal())
    event = Event.objects.get()
    mailoutbox.clear()
    force_login_with_second_factor(client, organiser_member())

    with mails():
        empty = client.post(reverse("events:review-decline", args=[event.slug]), {"message": " "})
        client.post(
            reverse("events:review-decline", args=[event.slug]), {"message": "Lägg till en adress i Umeå."}
        )

    assert empty.status_code == 200
    event.refresh_from_db()
    assert event.status == Event.Status.DECLINED
    assert [m.to for m in mailoutbox] == [[host.email]]
    assert "Lägg till en adress i Umeå." in mailoutbox[0].body
    # The host sees the message, edits and sends it again.
    client.force_login(host)
    page = client.get(reverse("events:host-edit", args=[event.slug])).content.decode()
    assert "Lägg till en adress i Umeå." in page
    client.post(
        reverse("events:host-edit", args=[event.slug]),
        proposal(address="Rådhustorget 2", resubmit="1"),
    )
    event.refresh_from_db()
    assert (event.status, event.address) == (Event.Status.PENDING, "Rådhustorget 2")


def test_event_decline_mails_its_message_as_stored_and_refuses_one_that_shows_nothing(mailoutbox, mails):
    host = MemberFactory()
    event = EventFactory(status="pending", proposed_by=host)
    with pytest.raises(HostError):
        event_decline(event=event, reviewer=None, message="\u202e\u200b ")
    with mails():
        event_decline(event=event, reviewer=None, message="La\u0308gg till\u202e en adress.")
    event.refresh_from_db()
    assert event.review_message == "Lägg till en adress."
    assert "Lägg till en adress." in mailoutbox[0].body


def test_event_approve_twice_is_refused():
    event = EventFactory(status="pending", proposed_by=MemberFactory())
    event_approve(event=event, reviewer=None)
    with pytest.raises(HostError):
        event_approve(event=event, reviewer=None)


# --- Publishing from the site tells followers, as publishing in the admin does ---------------------


def umea_follower():
    """A member who follows Umeå and the topic "frukost" (both match the proposal below)."""
    EventFactory(city="Umeå").tags.add("frukost")  # a city and a topic are followed from their events
    follower = MemberFactory(email="foljer-umea@example.org")
    follow_create(member=follower, kind="city", city="Umeå")
    follow_create(member=follower, kind="topic", tag_slug="frukost")
    return follower


def test_approving_a_breakfast_in_umea_tells_a_member_following_umea_once(client, mailoutbox, mails):
    follower = umea_follower()
    host = MemberFactory()
    client.force_login(host)
    with mails():
        client.post(PROPOSE, proposal())
    event = Event.objects.get(status=Event.Status.PENDING)
    assert [m for m in mailoutbox if m.to == [follower.email]] == []  # not while it waits for review
    force_login_with_second_factor(client, MemberFactory(is_staff=True))

    with mails():
        client.post(reverse("events:review-approve", args=[event.slug]))
        client.post(reverse("events:review-approve", args=[event.slug]))  # a second click: refused

    told = [m for m in mailoutbox if m.to == [follower.email]]
    assert len(told) == 1
    assert "Frukost om klarspråk i Umeå" in told[0].subject
    assert told[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    to_host = [m.subject for m in mailoutbox if m.to == [host.email]]
    assert len(to_host) == 2  # the receipt, then "approved" once
    assert "Vi har tagit emot ditt förslag" in to_host[0] and "publicerat" in to_host[1]


def test_a_trusted_hosts_event_tells_its_followers_once_when_it_publishes(client, mailoutbox, mails):
    follower = umea_follower()
    member = MemberFactory()
    member.user_permissions.add(events_permission("publish_without_review"))
    client.force_login(member)

    with mails():
        client.post(PROPOSE, proposal())

    assert Event.objects.get(title="Frukost om klarspråk i Umeå").status == Event.Status.PUBLISHED
    assert len([m for m in mailoutbox if m.to == [follower.email]]) == 1


@pytest.mark.parametrize("language", ["sv", "en"])
def test_event_form_says_optional_once_per_field(client, language):
    """The form's labels name the field only; the shared field include adds "(optional)" itself (the
    English page said "RSVP deadline (optional) (optional)")."""
    client.force_login(MemberFactory())
    page = client.get(PROPOSE, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    labels = re.findall(r"<label[^>]*>(.*?)</label>", page, flags=re.S)
    word = {"sv": "valfritt", "en": "optional"}[language]
    assert any(word in label for label in labels)
    assert [label for label in labels if label.count(word) > 1] == []
