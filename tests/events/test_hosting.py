"""Host tools on the site for hosts and co-hosts, and the safety tools."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from icalendar import Calendar

from events.forms import STOCKHOLM
from events.models import CohostInvite, Event, EventMessage, EventReport, Rsvp
from events.services.hosting import event_message_send, rsvp_check_in
from events.services.rsvps import RsvpError, rsvp_create, rsvp_needs_erase
from tests.factories import EventFactory, MemberFactory
from tests.helpers.forms import host_form_data as edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """Run what is queued after commit (mail) at the end of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def hosted():
    host = MemberFactory(name="Hanna Värd")
    event = EventFactory(title="Frukost i Umeå", capacity=2, city="Umeå")
    event.organisers.add(host)
    event.tags.add("klarspråk")
    going = [MemberFactory(name="Anna Ankom"), MemberFactory(name="Bertil Borta")]
    waiting = MemberFactory(name="Cilla Väntar")
    for member in [*going, waiting]:
        rsvp_create(event=event, member=member)
    event.refresh_from_db()
    return {"host": host, "event": event, "going": going, "waiting": waiting}


def test_host_edit_new_time_tells_everyone_who_answered(client, hosted, mailoutbox, mails):
    event = hosted["event"]
    client.force_login(hosted["host"])
    later = (event.start + timedelta(hours=2)).replace(second=0, microsecond=0)

    with mails():
        client.post(
            reverse("events:host-edit", args=[event.slug]),
            edit_data(event, start=later.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M"), end=""),
        )
        assert Event.objects.get(pk=event.pk).start == event.start  # no end: refused, nothing changed
        response = client.post(
            reverse("events:host-edit", args=[event.slug]),
            edit_data(
                event,
                start=later.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M"),
                end=(later + timedelta(hours=1)).astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M"),
            ),
        )

    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).start == later
    changed = [m for m in mailoutbox if "Ändrad tid eller plats" in m.subject]
    everyone = sorted(m.email for m in [*hosted["going"], hosted["waiting"]])
    assert sorted(m.to[0] for m in changed) == everyone
    new_time = later.astimezone(STOCKHOLM).strftime("%H.%M")  # Swedish time format
    assert all(new_time in m.body for m in changed)  # the mail says the new time
    assert all(m.attachments for m in changed)  # and its .ics updates the calendar entry


def test_host_edit_capacity_below_going_is_refused(client, hosted):
    client.force_login(hosted["host"])

    response = client.post(
        reverse("events:host-edit", args=[hosted["event"].slug]), edit_data(hosted["event"], capacity="1")
    )

    assert "kan inte vara lägre" in response.content.decode()
    assert Event.objects.get(pk=hosted["event"].pk).capacity == 2


def test_host_cancel_with_message_tells_going_and_waiting(client, hosted, mailoutbox, mails):
    event = hosted["event"]
    client.force_login(hosted["host"])

    with mails():
        client.post(reverse("events:host-cancel", args=[event.slug]), {"message": "Lokalen har brunnit."})

    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    cancelled = [m for m in mailoutbox if "inställt" in m.subject.lower() or "inställt" in m.body]
    assert sorted(m.to[0] for m in cancelled) == sorted(
        m.email for m in [*hosted["going"], hosted["waiting"]]
    )
    assert all("Lokalen har brunnit." in m.body for m in cancelled)


def test_host_checkin_search_tap_and_count(client, hosted):
    event = hosted["event"]
    client.force_login(hosted["host"])
    url = reverse("events:host-checkin", args=[event.slug])

    found = client.get(url, {"q": "anna"}).content.decode()
    anna = Rsvp.objects.get(event=event, member=hosted["going"][0])
    client.post(url + "?q=anna", {"rsvp": anna.pk})
    page = client.get(url).content.decode()

    assert "Anna Ankom" in found and "Bertil Borta" not in found
    assert "Cilla" not in client.get(url).content.decode()  # the waitlist is not at the door
    assert Rsvp.objects.get(pk=anna.pk).arrived_at is not None
    assert "1 av 2 på plats" in page


def test_host_checkin_is_kept_after_the_event_while_needs_are_erased(hosted, settings):
    event = hosted["event"]
    rsvp = Rsvp.objects.get(event=event, member=hosted["going"][0])
    Rsvp.objects.filter(pk=rsvp.pk).update(dietary_needs="Vegan")
    rsvp_check_in(rsvp=rsvp)

    later = event.end + timedelta(days=settings.EVENT_NEEDS_RETENTION_DAYS + 1)
    rsvp_needs_erase(now=later)

    rsvp.refresh_from_db()
    assert rsvp.dietary_needs == ""
    assert rsvp.arrived_at is not None


def test_host_checkin_of_someone_waiting_changes_nothing(client, hosted):
    client.force_login(hosted["host"])
    waiting = Rsvp.objects.get(event=hosted["event"], member=hosted["waiting"])

    client.post(reverse("events:host-checkin", args=[hosted["event"].slug]), {"rsvp": waiting.pk})

    assert Rsvp.objects.get(pk=waiting.pk).arrived_at is None


def test_host_repeat_copies_to_a_new_date_in_one_step(client, hosted):
    event = hosted["event"]
    client.force_login(hosted["host"])
    new_start = (event.start + timedelta(days=28)).astimezone(STOCKHOLM)

    client.post(
        reverse("events:host-repeat", args=[event.slug]), {"start": new_start.strftime("%Y-%m-%dT%H:%M")}
    )

    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.title == event.title
    assert copy.start == new_start.replace(second=0, microsecond=0)
    assert copy.end - copy.start == event.end - event.start
    assert list(copy.organisers.all()) == [hosted["host"]]
    assert list(copy.tags.names()) == ["klarspråk"]
    assert copy.going_count == 0 and not copy.rsvps.exists()
    assert copy.status == Event.Status.PENDING  # a member who is not trusted: reviewed again


def test_cohost_invite_by_email_accepted_from_the_mail_link(client, hosted, mailoutbox, mails):
    event = hosted["event"]
    client.force_login(hosted["host"])
    with mails():
        client.post(reverse("events:cohost-invite", args=[event.slug]), {"email": "ny.vard@example.org"})
    invite = CohostInvite.objects.get()
    link = reverse("events:cohost-accept", args=[invite.token])
    assert mailoutbox[0].to == ["ny.vard@example.org"]
    assert link in mailoutbox[0].body

    cohost = MemberFactory(email="ny.vard@example.org")
    client.force_login(cohost)
    assert client.get(reverse("events:host-edit", args=[event.slug])).status_code == 404
    assert client.get(link).status_code == 200  # a GET changes nothing
    assert not event.organisers.filter(pk=cohost.pk).exists()
    client.post(link)

    assert event.organisers.filter(pk=cohost.pk).exists()
    assert client.get(reverse("events:host-edit", args=[event.slug])).status_code == 200
    assert client.get(reverse("events:organiser-attendees", args=[event.slug])).status_code == 200
    assert client.post(link).status_code == 410  # once only


def test_host_message_to_the_waitlist_says_who_wrote_and_why(client, hosted, mailoutbox, mails):
    event = hosted["event"]
    client.force_login(hosted["host"])

    with mails():
        client.post(
            reverse("events:host-message", args=[event.slug]),
            {"audience": "waitlisted", "subject": "Fler platser?", "body": "Vi letar större lokal."},
        )

    assert [m.to for m in mailoutbox] == [[hosted["waiting"].email]]
    mail = mailoutbox[0]
    assert "Fler platser?" in mail.subject
    assert "Hanna Värd, värd för det här evenemanget, skriver:" in mail.body
    assert "Vi letar större lokal." in mail.body
    assert "du står på väntelistan" in mail.body
    logged = EventMessage.objects.get()
    assert (logged.event, logged.author, logged.recipients) == (event, hosted["host"], 1)
    assert "Fler platser?" in client.get(reverse("events:host-message", args=[event.slug])).content.decode()


def test_host_message_page_says_who_sees_the_address_and_replies_are_off_by_default(client, hosted):
    client.force_login(hosted["host"])

    page = client.get(reverse("events:host-message", args=[hosted["event"].slug])).content.decode()

    assert "Låt svar komma till min e-postadress" in page
    assert f"Alla mottagare ser då din adress, {hosted['host'].email}." in page
    assert re.search(r'<input type="checkbox" name="reply_to_author"(?![^>]*checked)[^>]*>', page)


def test_host_message_without_replies_hides_the_address_and_says_how_to_reach_the_hosts(
    client, hosted, mailoutbox, mails
):
    event = hosted["event"]
    client.force_login(hosted["host"])

    with mails():
        client.post(
            reverse("events:host-message", args=[event.slug]),
            {"audience": "going", "subject": "Lokalen", "body": "Vi ses i rum 3."},
        )

    assert len(mailoutbox) == 2
    for mail in mailoutbox:
        assert mail.reply_to == []
        assert hosted["host"].email not in mail.message().as_string()
        assert "Svar på det här mejlet når ingen. Skriv till värdarna från evenemangets sida:" in mail.body
        assert reverse("events:host-contact", args=[event.slug]) in mail.body
    assert EventMessage.objects.get().reply_to_author is False


def test_host_message_with_replies_chosen_sets_reply_to_the_hosts_address(client, hosted, mailoutbox, mails):
    event = hosted["event"]
    client.force_login(hosted["host"])

    with mails():
        client.post(
            reverse("events:host-message", args=[event.slug]),
            {"audience": "going", "subject": "Lokalen", "body": "Vi ses i rum 3.", "reply_to_author": "on"},
        )

    assert len(mailoutbox) == 2
    for mail in mailoutbox:
        assert mail.reply_to == [hosted["host"].email]
        assert f"Reply-To: {hosted['host'].email}" in mail.message().as_string()
        assert "Svara på det här mejlet för att svara Hanna Värd." in mail.body
        assert "når ingen" not in mail.body
    assert EventMessage.objects.get().reply_to_author is True


def test_a_member_writes_to_the_hosts_and_they_can_answer(client, hosted, mailoutbox, mails):
    event = hosted["event"]
    cohost = MemberFactory(name="Ivar Medvärd", preferred_language="en")
    event.organisers.add(cohost)
    asker = hosted["going"][0]
    client.force_login(asker)
    page = client.get(event.get_absolute_url()).content.decode()
    form = client.get(reverse("events:host-contact", args=[event.slug])).content.decode()

    with mails():
        response = client.post(
            reverse("events:host-contact", args=[event.slug]), {"body": "Finns det hiss till lokalen?"}
        )

    assert reverse("events:host-contact", args=[event.slug]) in page
    assert f"kan svara dig på din adress, {asker.email}." in form
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted([hosted["host"].email, cohost.email])
    for mail in mailoutbox:
        assert mail.reply_to == [asker.email]
        assert "Finns det hiss till lokalen?" in mail.body
    (english,) = [m for m in mailoutbox if m.to == [cohost.email]]
    assert "Anna Ankom writes to the hosts of this event:" in english.body


def test_host_message_promises_no_reply_address_once_the_author_is_gone(hosted, mailoutbox, settings):
    """The job reads the author's address when it runs: an author who deleted their account since has
    none, and the mail must not tell anyone to answer it."""
    from events.services.mail import event_mail_render

    rsvp = hosted["event"].rsvps.filter(status="going").first()
    author = hosted["host"]
    extra = {"subject": "Hej", "body": "Välkomna", "author": author.name, "reply_to_member_id": author.pk}
    kept = event_mail_render(
        member_id=rsvp.member_id,
        event_id=rsvp.event_id,
        template="host_message",
        extra=extra,
        rsvp_id=rsvp.pk,
    )
    author.is_active = False
    author.save(update_fields=["is_active"])
    gone = event_mail_render(
        member_id=rsvp.member_id,
        event_id=rsvp.event_id,
        template="host_message",
        extra=extra,
        rsvp_id=rsvp.pk,
    )

    assert kept.reply_to == [author.email] and "Svara på det här mejlet" in kept.body
    assert gone.reply_to == [] and "Svar på det här mejlet når ingen" in gone.body


def test_writing_to_the_hosts_is_limited_per_day(client, hosted, mailoutbox, mails):
    client.force_login(hosted["going"][0])
    url = reverse("events:host-contact", args=[hosted["event"].slug])

    with mails():
        for _n in range(3):
            client.post(url, {"body": "En fråga"})
        refused = client.post(url, {"body": "En fråga till"})

    assert refused.status_code == 200
    assert "högst 3 gånger per dygn" in refused.content.decode()
    assert len(mailoutbox) == 3


def test_host_message_to_both_reaches_going_and_waiting(hosted, mailoutbox, mails):
    with mails():
        event_message_send(
            event=hosted["event"], author=hosted["host"], audience="both", subject="Hej", body="Välkomna"
        )
    assert len(mailoutbox) == 3


def test_host_message_is_limited_per_day(client, hosted, settings, mailoutbox, mails):
    settings.EVENT_MESSAGES_PER_DAY = 1
    client.force_login(hosted["host"])
    url = reverse("events:host-message", args=[hosted["event"].slug])
    message = {"audience": "going", "subject": "Hej", "body": "Välkomna"}

    with mails():
        client.post(url, message)
        refused = client.post(url, message)

    assert "Högst 1 meddelanden per dygn" in refused.content.decode()
    assert EventMessage.objects.count() == 1
    assert len(mailoutbox) == 2


def test_attendee_remove_tells_them_and_gives_the_place_to_the_waitlist(client, hosted, mailoutbox, mails):
    event = hosted["event"]
    bertil = Rsvp.objects.get(event=event, member=hosted["going"][1])
    client.force_login(hosted["host"])

    with mails():
        client.post(
            reverse("events:attendee-remove", args=[event.slug, bertil.pk]), {"reason": "Trakasserier."}
        )

    bertil.refresh_from_db()
    assert bertil.status == Rsvp.Status.CANCELLED and bertil.removed_at is not None
    assert Rsvp.objects.get(event=event, member=hosted["waiting"]).status == Rsvp.Status.GOING
    removed = [m for m in mailoutbox if m.to == [hosted["going"][1].email]]
    assert len(removed) == 1 and "Trakasserier." in removed[0].body
    assert any(m.to == [hosted["waiting"].email] for m in mailoutbox)  # promoted and told
    with pytest.raises(RsvpError):
        rsvp_create(event=event, member=hosted["going"][1])


def test_event_report_reaches_staff(client, hosted, mailoutbox, mails):
    staff = MemberFactory(is_staff=True)
    reporter = MemberFactory()
    client.force_login(reporter)
    url = reverse("events:event-report", args=[hosted["event"].slug])

    empty = client.post(url, {"reason": "   "})
    with mails():
        client.post(url, {"reason": "Beskrivningen är reklam för ett konsultbolag."})

    assert empty.status_code == 200
    report = EventReport.objects.get()
    assert (report.event, report.reporter) == (hosted["event"], reporter)
    assert [m.to for m in mailoutbox] == [[staff.email]]
    assert "konsultbolag" in mailoutbox[0].body


def test_event_report_of_a_draft_is_not_found(client):
    client.force_login(MemberFactory())
    draft = EventFactory(status="draft", start=timezone.now() + timedelta(days=3))
    assert client.get(reverse("events:event-report", args=[draft.slug])).status_code == 404


def test_host_repeat_counts_against_the_daily_proposal_limit(client, hosted, settings):
    settings.EVENT_PROPOSALS_PER_DAY = 1
    event = hosted["event"]
    client.force_login(hosted["host"])
    url = reverse("events:host-repeat", args=[event.slug])
    start = lambda days: (event.start + timedelta(days=days)).astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")  # noqa: E731

    client.post(url, {"start": start(7)})
    refused = client.post(url, {"start": start(14)})

    assert refused.status_code == 200
    assert "högst 1 evenemang per dygn" in refused.content.decode()
    assert Event.objects.count() == 2


def test_host_posts_by_someone_else_change_nothing(client, hosted):
    """The POSTs behind the host and review pages: a member, even the host of another event, gets 404."""
    event = hosted["event"]
    pending = EventFactory(status="pending", proposed_by=hosted["host"])
    other_host = MemberFactory()
    EventFactory().organisers.add(other_host)
    anna = Rsvp.objects.get(event=event, member=hosted["going"][0])
    client.force_login(other_host)

    answers = [
        client.post(reverse("events:review-approve", args=[pending.slug])),
        client.post(reverse("events:review-decline", args=[pending.slug]), {"message": "Nej"}),
        client.post(reverse("events:host-checkin", args=[event.slug]), {"rsvp": anna.pk}),
        client.post(reverse("events:attendee-remove", args=[event.slug, anna.pk]), {"reason": "x"}),
        client.post(reverse("events:host-cancel", args=[event.slug]), {"message": "x"}),
        client.post(
            reverse("events:host-message", args=[event.slug]),
            {"audience": "both", "subject": "x", "body": "x"},
        ),
        client.post(reverse("events:cohost-invite", args=[event.slug]), {"email": "x@example.org"}),
    ]

    assert [answer.status_code for answer in answers] == [404] * 7
    assert Event.objects.get(pk=pending.pk).status == Event.Status.PENDING
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED
    anna.refresh_from_db()
    assert (anna.status, anna.arrived_at) == (Rsvp.Status.GOING, None)
    assert not EventMessage.objects.exists() and not CohostInvite.objects.exists()


def test_host_edit_cover_replaced_and_removed_through_the_cover_service(client, hosted, mails):
    from pathlib import Path

    from django.conf import settings

    from tests.helpers.photos import photo_upload

    event = hosted["event"]
    client.force_login(hosted["host"])
    url = reverse("events:host-edit", args=[event.slug])
    files = lambda: sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())  # noqa: E731
    for alt in ("Första omslaget", "Andra omslaget"):
        with mails():  # the commit: the replaced file goes then
            response = client.post(
                url, edit_data(event, cover_image=photo_upload(name="min-bild.jpg"), cover_alt=alt)
            )
        assert response.status_code == 302
        event.refresh_from_db()
        assert event.cover_alt == alt
        assert "min-bild" not in event.cover_image.name  # a clean copy under a name of its own
        assert files() == [Path(event.cover_image.name).name]  # the replaced file is gone after commit
    # A refused change stores no file: capacity below those going.
    response = client.post(
        url, edit_data(event, capacity="1", cover_image=photo_upload(), cover_alt="Tredje")
    )
    assert response.status_code == 200
    assert files() == [Path(event.cover_image.name).name]
    with mails():
        response = client.post(url, edit_data(event, **{"cover_image-clear": "on"}))
    assert response.status_code == 302
    event.refresh_from_db()
    assert not event.cover_image
    assert files() == []


def test_host_edit_notice_says_what_changed_in_the_mail_and_the_calendar_file(
    client, hosted, mailoutbox, mails
):
    event = hosted["event"]
    five = timezone.now().astimezone(STOCKHOLM).replace(hour=17, minute=0, second=0, microsecond=0)
    five += timedelta(days=7)
    Event.objects.filter(pk=event.pk).update(start=five, end=five + timedelta(hours=2))
    event.refresh_from_db()
    english = hosted["going"][0]
    english.preferred_language = "en"
    english.save(update_fields=["preferred_language"])
    client.force_login(hosted["host"])
    at = lambda value: value.strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    with mails():
        client.post(
            reverse("events:host-edit", args=[event.slug]),
            edit_data(
                event,
                start=at(five + timedelta(hours=1)),
                end=at(five + timedelta(hours=3)),
                venue_name="Kulturhuset",
            ),
        )

    notices = {m.to[0]: m for m in mailoutbox}
    swedish = notices[hosted["waiting"].email]
    with translation.override("sv"):
        day = date_format(five, "DATE_FORMAT")
    assert f"Tid: var 17.00–19.00, nu 18.00–20.00 ({day})" in swedish.body  # noqa: RUF001
    assert (
        "Plats: var Stadsbiblioteket, Götaplatsen 3, Umeå, nu Kulturhuset, Götaplatsen 3, Umeå"
        in swedish.body
    )
    assert "Time: was 17:00–19:00, now 18:00–20:00" in notices[english.email].body  # noqa: RUF001
    description = str(Calendar.from_ical(swedish.attachments[0][1]).walk("VEVENT")[0]["DESCRIPTION"])
    assert description.startswith("Tid: var 17.00–19.00, nu 18.00–20.00")  # noqa: RUF001
    assert "Plats: var Stadsbiblioteket, Götaplatsen 3, Umeå, nu Kulturhuset" in description
    # RFC 5545: the commas are escaped in the file itself, and a calendar reads them back as commas.
    assert "Stadsbiblioteket\\, G" in swedish.attachments[0][1].replace("\r\n ", "")


def test_six_reports_in_a_row_mail_staff_once(client, hosted, mailoutbox, mails):
    """Reports were unlimited: six in one second sent six mails to every staff member."""
    staff = [MemberFactory(is_staff=True), MemberFactory(is_staff=True)]
    client.force_login(MemberFactory())
    url = reverse("events:event-report", args=[hosted["event"].slug])
    with mails():
        answers = [client.post(url, {"reason": f"Reklam, gång {n}."}) for n in range(6)]
    assert answers[0].status_code == 302
    assert all(answer.status_code == 200 for answer in answers[1:])
    assert "Du har redan rapporterat det här evenemanget" in answers[1].content.decode()
    assert EventReport.objects.count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(member.email for member in staff)  # one round


def test_a_handled_report_lets_the_member_report_again(client, hosted, mailoutbox, mails):
    MemberFactory(is_staff=True)
    client.force_login(MemberFactory())
    url = reverse("events:event-report", args=[hosted["event"].slug])
    with mails():
        client.post(url, {"reason": "Reklam."})
    EventReport.objects.update(handled_at=timezone.now())
    with mails():
        assert client.post(url, {"reason": "Reklam igen."}).status_code == 302
    assert EventReport.objects.count() == 2 and len(mailoutbox) == 2


def test_reports_are_limited_per_member_and_day(client, settings, mailoutbox, mails):
    settings.EVENT_REPORTS_PER_DAY = 3
    MemberFactory(is_staff=True)
    reporter = MemberFactory()
    client.force_login(reporter)
    events = EventFactory.create_batch(4)
    with mails():
        answers = [
            client.post(reverse("events:event-report", args=[event.slug]), {"reason": "Reklam."})
            for event in events
        ]
    assert [answer.status_code for answer in answers] == [302, 302, 302, 200]
    assert "Du kan skicka högst 3 rapporter per dygn" in answers[3].content.decode()
    assert len(mailoutbox) == 3
    # Another member is not held back by this one.
    client.force_login(MemberFactory())
    assert (
        client.post(reverse("events:event-report", args=[events[3].slug]), {"reason": "Ja."}).status_code
        == 302
    )
