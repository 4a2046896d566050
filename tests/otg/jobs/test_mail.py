"""Every mail is a job holding plain data, rendered from current data; error mail never needs the queue.

The queue's behaviour under failure (outage, killed worker, failed for good, two workers) is in
test_queue.py, with real worker processes.
"""

import json
import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from events.models import Event, Rsvp
from events.services.events import event_cancel, event_save
from events.services.follows import follow_create, follow_digests_send, followers_notify
from events.services.hosting import (
    _mail_moderators,
    cohost_invite,
    event_approve,
    event_decline,
    event_message_send,
    event_propose,
    event_resubmit,
)
from events.services.mail import event_mail_queue
from events.services.rsvps import rsvp_cancel, rsvp_create, rsvp_reminders_send
from events.tasks import event_followers_notify, event_mail_send, follow_digest_send, follow_mail_send
from members.models import Member
from members.services import member_delete
from otg.common.error_mail import ErrorMailLimit
from otg.jobs.tasks import mail_deliver
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def run_queued_jobs() -> int:
    """Run what is queued, in this process, as the worker would: the registered task with its args."""
    tasks = {
        "mail_deliver": mail_deliver,
        "event_mail_send": event_mail_send,
        "follow_mail_send": follow_mail_send,
        "event_followers_notify": event_followers_notify,
        "follow_digest_send": follow_digest_send,
    }
    jobs = list(ProcrastinateJob.objects.filter(status="todo").order_by("pk"))
    for job in jobs:
        tasks[job.task_name](**job.args)
    return len(jobs)


def test_send_mail_queues_one_job_of_plain_data(queue, mailoutbox):
    message = mail.EmailMessage("Välkommen", "Hej!", None, ["ada@example.org"], cc=["Bo <bo@example.org>"])
    message.attach("kalender.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("bild.png", b"\x89PNG\r\n\x00\xff", "image/png")
    assert message.send() == 1
    assert mailoutbox == []  # queued, not sent

    job = ProcrastinateJob.objects.get()
    assert job.task_name == "mail_deliver"
    # JSON all the way down: strings and lists, no pickle, no import path of a class.
    assert json.loads(json.dumps(job.args)) == job.args
    assert job.args["message"]["to"] == ["ada@example.org"]
    assert job.args["message"]["subject"] == "Välkommen"

    assert run_queued_jobs() == 1
    (sent,) = mailoutbox
    assert sent.to == ["ada@example.org"] and sent.cc == ["Bo <bo@example.org>"]
    assert sent.attachments[0] == ("kalender.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    assert sent.attachments[1] == ("bild.png", b"\x89PNG\r\n\x00\xff", "image/png")


def test_allauth_password_reset_mail_is_queued(queue, client, mailoutbox):
    member = MemberFactory(email="cy@example.org")
    reply = client.post("/konto/password/reset/", {"email": member.email})
    assert reply.status_code == 302
    assert mailoutbox == []
    job = ProcrastinateJob.objects.get()
    assert job.args["message"]["to"] == ["cy@example.org"]
    run_queued_jobs()
    assert mailoutbox[0].to == ["cy@example.org"]
    assert "/konto/password/reset/key/" in mailoutbox[0].body


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_member_who_signs_up_in_english_gets_their_mail_in_english(queue, client, mailoutbox):
    reply = english(client).post(
        "/konto/signup/",
        {
            "name": "Ada Lind",
            "email": "ada@example.org",
            "password1": "ett-långt-lösenord-för-test",
            "accept_principles": "on",
        },
    )
    assert reply.status_code == 302
    member = Member.objects.get(email="ada@example.org")
    assert member.preferred_language == "en"
    rsvp_create(event=EventFactory(title="Mingel"), member=member)
    run_queued_jobs()
    verification, confirmation = mailoutbox
    assert "Confirm your email address" in verification.subject
    assert "You are coming: Mingel" in confirmation.subject


def test_account_mail_comes_in_the_members_language_whatever_page_asked_for_it(queue, client, mailoutbox):
    english_member = MemberFactory(email="en@example.org", preferred_language="en")
    swedish_member = MemberFactory(email="sv@example.org", preferred_language="sv")
    client.post("/konto/password/reset/", {"email": english_member.email})  # from the Swedish site
    english(client).post("/konto/password/reset/", {"email": swedish_member.email})
    run_queued_jobs()
    to_english, to_swedish = mailoutbox
    assert to_english.to == [english_member.email] and "Choose a new password" in to_english.subject
    assert to_swedish.to == [swedish_member.email] and "Välj ett nytt lösenord" in to_swedish.subject


def test_the_rsvp_request_only_queues_ids(queue, django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(title="Frukost om klarspråk")
    member = MemberFactory(name="Ada Lind", preferred_language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        rsvp = rsvp_create(event=event, member=member)
    job = ProcrastinateJob.objects.get()
    assert job.task_name == "event_mail_send"
    assert job.args == {
        "member_id": member.pk,
        "event_id": event.pk,
        "template": "rsvp_going",
        "attach_ics": True,
        "extra": {},
        "rsvp_id": rsvp.pk,
    }
    assert mailoutbox == []

    run_queued_jobs()
    (sent,) = mailoutbox
    assert "Du kommer: Frukost om klarspråk" in sent.subject
    assert "Hej Ada Lind!" in sent.body
    _filename, calendar, mimetype = sent.attachments[0]
    assert mimetype == "text/calendar" and "Frukost om klarspråk" in calendar


def test_the_confirmation_is_queued_in_the_rsvps_own_transaction(queue, mailoutbox):
    """No on-commit hook: the job row is written beside the RSVP and commits with it (one transaction)."""
    event, member = EventFactory(), MemberFactory()
    with transaction.atomic():
        rsvp = rsvp_create(event=event, member=member)
        # Still inside the RSVP's transaction (nothing has committed): the job is already there.
        job = ProcrastinateJob.objects.get()
    assert (job.args["member_id"], job.args["template"]) == (member.pk, "rsvp_going")
    run_queued_jobs()
    assert mailoutbox[0].to == [member.email] and rsvp.status == "going"


def test_a_rolled_back_rsvp_queues_no_mail(queue, mailoutbox):
    event, member = EventFactory(capacity=1), MemberFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        rsvp_create(event=event, member=member)
        raise RuntimeError("the request failed after the RSVP")
    assert list(ProcrastinateJob.objects.values_list("status", flat=True)) == []
    assert not event.rsvps.exists()
    event.refresh_from_db()
    assert event.going_count == 0
    assert run_queued_jobs() == 0 and mailoutbox == []


def test_the_job_renders_in_the_members_language_as_it_is_when_it_runs(
    queue, django_capture_on_commit_callbacks, mailoutbox
):
    member = MemberFactory(preferred_language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_create(event=EventFactory(title="Mingel"), member=member)
    member.preferred_language = "en"
    member.save(update_fields=["preferred_language"])
    run_queued_jobs()
    assert "You are coming: Mingel" in mailoutbox[0].subject


def test_a_member_who_cancelled_before_the_job_ran_gets_no_you_are_coming(
    queue, django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory()
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        rsvp = rsvp_create(event=event, member=member)
    rsvp_cancel(rsvp=rsvp)
    run_queued_jobs()
    assert mailoutbox == []


def test_a_waitlist_mail_is_not_sent_to_someone_already_promoted(
    queue, django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(capacity=1)
    first, second = MemberFactory(), MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        going = rsvp_create(event=event, member=first)
        rsvp_create(event=event, member=second)
        rsvp_cancel(rsvp=going)
    run_queued_jobs()
    # first: "coming" withdrawn by their cancellation; second: "waitlisted" outdated, "promoted" true.
    assert [(m.to, m.attachments[0][0] if m.attachments else None) for m in mailoutbox] == [
        ([second.email], f"{event.slug}.ics")
    ]


# What a mail says must still hold for the event when its job runs, not only for the member's answer:
# a worker that is behind, or an SMTP outage retried for hours, sends it long after it was queued.


def subjects(mailoutbox) -> list[tuple[str, str]]:
    return [(m.to[0], m.subject.removeprefix("[One Team Gov Sverige] ")) for m in mailoutbox]


def test_no_you_are_coming_for_an_event_cancelled_before_the_job_ran(queue, mailoutbox):
    event = EventFactory(title="Mingel", capacity=1)
    going, waiting = MemberFactory(preferred_language="en"), MemberFactory(preferred_language="sv")
    rsvp_create(event=event, member=going)
    rsvp_create(event=event, member=waiting)
    event_cancel(event=event)
    run_queued_jobs()
    assert subjects(mailoutbox) == [(going.email, "Cancelled: Mingel"), (waiting.email, "Inställt: Mingel")]


def test_no_reminder_for_an_event_cancelled_or_started_before_the_job_ran(queue, mailoutbox):
    cancelled = EventFactory(title="Inställt", start=timezone.now() + timedelta(hours=20))
    started = EventFactory(title="Pågår", start=timezone.now() + timedelta(hours=20))
    member = MemberFactory(preferred_language="sv")
    for event in (cancelled, started):
        rsvp_create(event=event, member=member)
    ProcrastinateJob.objects.all().delete()  # the confirmations
    assert rsvp_reminders_send() == 2
    event_cancel(event=cancelled)
    Event.objects.filter(pk=started.pk).update(start=timezone.now() - timedelta(minutes=5))
    run_queued_jobs()
    assert subjects(mailoutbox) == [(member.email, "Inställt: Inställt")]


def test_no_reminder_saying_tomorrow_for_an_event_moved_a_week_on_before_the_job_ran(queue, mailoutbox):
    event = EventFactory(title="Frukost", start=timezone.now() + timedelta(hours=20))
    member = MemberFactory(preferred_language="en")
    rsvp_create(event=event, member=member)
    ProcrastinateJob.objects.all().delete()
    rsvp_reminders_send()
    event.start += timedelta(days=7)
    event.end += timedelta(days=7)
    event_save(event=event, changed_fields=["start", "end"])
    run_queued_jobs()
    assert subjects(mailoutbox) == [(member.email, "Changed time or place: Frukost")]


def test_no_change_notice_for_an_event_cancelled_before_the_job_ran(queue, mailoutbox):
    event = EventFactory(title="Frukost")
    member = MemberFactory(preferred_language="en")
    rsvp_create(event=event, member=member)
    ProcrastinateJob.objects.all().delete()
    event.start += timedelta(hours=1)
    event_save(event=event, changed_fields=["start"])
    event_cancel(event=event)
    run_queued_jobs()
    assert subjects(mailoutbox) == [(member.email, "Cancelled: Frukost")]


def test_the_waitlist_position_is_the_one_when_the_job_runs(queue, mailoutbox):
    event = EventFactory(title="Fullt", capacity=1)
    going, first, second = (MemberFactory(preferred_language="en") for _ in range(3))
    rsvp_create(event=event, member=going)
    ahead = rsvp_create(event=event, member=first)
    rsvp_create(event=event, member=second)
    rsvp_cancel(rsvp=ahead)  # second moves up before any mail is sent
    run_queued_jobs()
    (waitlisted,) = [m for m in mailoutbox if m.to == [second.email]]
    assert "You are number 1 on the waitlist." in waitlisted.body


def test_a_host_message_gives_the_reason_the_member_has_when_the_job_runs(queue, mailoutbox):
    event = EventFactory(title="Fullt", capacity=1)
    going, waiting = MemberFactory(preferred_language="en"), MemberFactory(preferred_language="en")
    first = rsvp_create(event=event, member=going)
    rsvp_create(event=event, member=waiting)
    ProcrastinateJob.objects.all().delete()
    event_message_send(event=event, author=going, audience="both", subject="Ta med", body="Ta med en mugg.")
    rsvp_cancel(rsvp=first)  # the waiting member is promoted before the message goes out
    run_queued_jobs()
    (message,) = [m for m in mailoutbox if m.to == [waiting.email] and "Ta med" in m.subject]
    assert "because you are going to this event" in message.body
    assert "waitlist" not in message.body


def test_no_review_request_for_a_proposal_reviewed_before_the_job_ran(queue, mailoutbox):
    reviewer = MemberFactory(is_staff=True, preferred_language="en")
    host = MemberFactory(preferred_language="en")
    event = EventFactory(title="Förslaget", status=Event.Status.PENDING, proposed_by=host)
    _mail_moderators(event)
    event_approve(event=event, reviewer=reviewer)
    run_queued_jobs()
    assert subjects(mailoutbox) == [(host.email, "Your event is published: Förslaget")]


def test_a_proposal_queues_a_receipt_to_its_proposer_in_their_language(queue, mailoutbox):
    MemberFactory(is_staff=True, preferred_language="sv")
    host = MemberFactory(preferred_language="en")
    event = EventFactory.build(title="Klarspråksfika i Uppsala", slug="")

    event_propose(event=event, member=host)
    assert mailoutbox == []  # queued with the proposal, sent by its job
    run_queued_jobs()

    (receipt,) = [m for m in mailoutbox if m.to == [host.email]]
    assert receipt.subject.endswith("We have received your proposal: Klarspråksfika i Uppsala")
    assert "Thank you for your proposal." in receipt.body


def test_no_declined_notice_for_a_proposal_sent_again_and_published_before_the_job_ran(queue, mailoutbox):
    reviewer = MemberFactory(is_staff=True, preferred_language="en")
    host = MemberFactory(preferred_language="en")
    event = EventFactory(title="Förslaget", status=Event.Status.PENDING, proposed_by=host)
    event_decline(event=event, reviewer=reviewer, message="Lägg till en plats.")
    event_resubmit(event=event, member=host)
    ProcrastinateJob.objects.filter(args__template="proposal_review").delete()
    event_approve(event=event, reviewer=reviewer)
    run_queued_jobs()
    assert subjects(mailoutbox) == [(host.email, "Your event is published: Förslaget")]


def test_no_new_event_mail_to_a_follower_after_the_event_ended(queue, mailoutbox):
    event = EventFactory(city="Umeå")
    follower = MemberFactory()
    follow_create(member=follower, kind="city", city="Umeå")
    assert followers_notify(event_id=event.pk) == 1
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() - timedelta(hours=3), end=timezone.now() - timedelta(hours=1)
    )
    run_queued_jobs()
    assert mailoutbox == []


def test_a_weekly_digest_lists_no_event_that_started_before_the_job_ran(queue, mailoutbox):
    started = EventFactory(city="Luleå", title="Startat")
    EventFactory(city="Luleå", title="Kommer")
    follower = MemberFactory(preferred_language="sv")
    follow_create(member=follower, kind="city", city="Luleå", frequency="weekly")
    assert follow_digests_send() == 1
    Event.objects.filter(pk=started.pk).update(start=timezone.now() - timedelta(minutes=1))
    run_queued_jobs()
    (digest,) = mailoutbox
    assert "Kommer" in digest.body and "Startat" not in digest.body


def test_event_mail_for_a_deleted_event_or_member_goes_nowhere_and_the_job_ends(queue, mailoutbox):
    gone_event, kept_event = EventFactory(), EventFactory(title="Kvar")
    gone_member, moved = MemberFactory(), MemberFactory(email="old@example.org", preferred_language="en")
    rsvp_create(event=gone_event, member=moved)
    rsvp_create(event=kept_event, member=gone_member)
    rsvp_create(event=kept_event, member=moved)
    gone_event.delete()
    member_delete(member=gone_member)
    moved.email = "new@example.org"
    moved.save(update_fields=["email"])
    assert run_queued_jobs() == 3  # none raises
    assert subjects(mailoutbox) == [("new@example.org", "You are coming: Kvar")]


def test_queueing_one_mail_is_one_statement(queue, django_capture_on_commit_callbacks):
    event, member = EventFactory(), MemberFactory()
    with CaptureQueriesContext(connection) as queries:
        event_mail_queue(member=member, template="rsvp_going", event=event, attach_ics=True)
    assert len(queries.captured_queries) == 1
    assert "procrastinate_defer_jobs" in queries.captured_queries[0]["sql"]


def test_a_changed_event_queues_its_attendees_mail_in_one_statement(queue, mailoutbox):
    event = EventFactory()
    attendees = [MemberFactory() for _ in range(3)]
    for member in attendees:
        rsvp_create(event=event, member=member)
    ProcrastinateJob.objects.all().delete()  # the confirmations
    event.start += timedelta(hours=1)
    with CaptureQueriesContext(connection) as queries:
        event_save(event=event, changed_fields=["start"])
    assert sum("procrastinate_defer_jobs" in q["sql"] for q in queries.captured_queries) == 1
    assert sorted(job.args["member_id"] for job in ProcrastinateJob.objects.all()) == sorted(
        member.pk for member in attendees
    )
    run_queued_jobs()
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(member.email for member in attendees)


# --- Deleted members -----------------------------------------------------------------------------------


def test_a_deleted_members_queued_password_reset_is_never_delivered(queue, client, mailoutbox):
    member = MemberFactory(email="dee@example.org")
    client.post("/konto/password/reset/", {"email": member.email})
    assert ProcrastinateJob.objects.filter(args__message__to=["dee@example.org"]).exists()

    member_delete(member=member)

    assert run_queued_jobs() == 0
    assert mailoutbox == []


def test_no_queued_or_logged_mail_holds_a_deleted_members_address(queue, mailoutbox):
    member = MemberFactory(email="Eva.Berg@example.org")
    other = MemberFactory(email="fia@example.org")
    for to in (member.email, f"Eva Berg <{member.email.lower()}>", other.email):
        mail.send_mail("Hej", "Text", None, [to])
    mail.EmailMessage("Kopia", "Text", None, [other.email], bcc=[member.email]).send()
    run_queued_jobs()
    with connection.cursor() as cursor:  # the delivered ones stay a while: the delivery log
        cursor.execute("UPDATE procrastinate_jobs SET status = 'succeeded' WHERE status = 'todo'")
    mail.send_mail("Väntar", "Text", None, [member.email])

    member_delete(member=member)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE lower(args::text) LIKE %s", ["%eva.berg@%"]
        )
        assert cursor.fetchone()[0] == 0
    remaining = ProcrastinateJob.objects.values_list("args__message__to", flat=True)
    assert list(remaining) == [[other.email]]  # another member's mail is kept


# --- Error mail -----------------------------------------------------------------------------------------


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Ops", "ops@example.org")]
    settings.DEBUG = False
    for handler in logging.getLogger("django").handlers:
        for limit in handler.filters:
            if isinstance(limit, ErrorMailLimit):
                limit._sent.clear()
    return settings


def test_error_mail_goes_straight_to_the_mail_server_not_the_queue(queue, admins, mailoutbox):
    logging.getLogger("django.request").error("Internal Server Error: /", exc_info=False)
    assert [m.to for m in mailoutbox] == [["ops@example.org"]]
    assert list(ProcrastinateJob.objects.values_list("status", flat=True)) == []


def test_a_wrong_host_header_sends_no_admin_mail(admins, client, mailoutbox):
    for number in range(60):
        reply = client.get("/", HTTP_HOST=f"evil{number}.example.net")
        assert reply.status_code == 400
    assert mailoutbox == []


def test_a_flood_of_errors_sends_a_limited_number_of_mails(admins, mailoutbox):
    for number in range(60):
        logging.getLogger("django.request").error("Internal Server Error: /sok/%s", number)
    assert len(mailoutbox) == admins.ERROR_MAIL_LIMIT


def test_a_deleted_members_failed_mail_and_its_error_are_forgotten(queue):
    from otg.jobs.models import JobFailure
    from otg.jobs.queue import failures_prune

    member = MemberFactory(email="gun@example.org")
    mail.send_mail("Hej", "Text", None, [member.email])
    job = ProcrastinateJob.objects.get()
    error = "SMTPRecipientsRefused: {'gun@example.org': (550, b'No such user here')}"
    JobFailure.objects.create(job_id=job.pk, attempt=1, error=error)
    JobFailure.objects.create(job_id=job.pk + 1000, attempt=1, error="a job pruned long ago")

    member_delete(member=member)

    assert list(ProcrastinateJob.objects.values_list("status", flat=True)) == []
    assert not JobFailure.objects.filter(error__icontains="gun@example.org").exists()
    assert failures_prune() == 1
    assert not JobFailure.objects.exists()


def test_a_deleted_members_address_is_forgotten_from_the_failures_of_their_event_mail(queue):
    from otg.jobs.models import JobFailure

    member = MemberFactory(email="Hugo@example.org")
    rsvp_create(event=EventFactory(), member=member)
    job = ProcrastinateJob.objects.get(task_name="event_mail_send")  # its args hold ids, not the address
    # What record_failure stores when the SMTP server refuses the address for good (the job then stays).
    error = "SMTPRecipientsRefused: {'hugo@example.org': (550, b'5.1.1 No such user here')}"
    JobFailure.objects.create(job_id=job.pk, attempt=1, error=error)
    JobFailure.objects.create(
        job_id=job.pk + 1, attempt=1, error="SMTPRecipientsRefused: {'ivy@example.org'}"
    )

    member_delete(member=member)

    assert list(JobFailure.objects.values_list("error", flat=True)) == [
        "SMTPRecipientsRefused: {'ivy@example.org'}"
    ]


def test_a_co_host_invitation_to_a_member_comes_in_their_language(queue, mailoutbox):
    inviter = MemberFactory(preferred_language="sv")
    MemberFactory(email="Jo@example.org", preferred_language="en")
    event = EventFactory(title="Frukost")
    cohost_invite(event=event, email="jo@example.org", invited_by=inviter)
    cohost_invite(event=event, email="ny@example.org", invited_by=inviter)  # no member yet
    run_queued_jobs()
    assert subjects(mailoutbox) == [
        ("jo@example.org", "Host an event with us: Frukost"),
        ("ny@example.org", "Var värd tillsammans med oss: Frukost"),
    ]


def test_one_confirmation_and_one_reminder_for_a_member_who_cancelled_and_answered_again(queue, mailoutbox):
    """Each mail is about one answer: the first answer's mails must not be sent again about the second."""
    event = EventFactory(title="Mingel", start=timezone.now() + timedelta(hours=20))
    member = MemberFactory(preferred_language="en")
    first = rsvp_create(event=event, member=member)
    assert rsvp_reminders_send() == 1
    rsvp_cancel(rsvp=first)
    rsvp_create(event=event, member=member)
    assert rsvp_reminders_send() == 1  # the new answer is reminded too
    run_queued_jobs()
    (confirmation, reminder) = subjects(mailoutbox)
    assert confirmation == (member.email, "You are coming: Mingel")
    assert reminder[0] == member.email and reminder[1].startswith(("Today at ", "Tomorrow at "))
    assert reminder[1].endswith(": Mingel")


def test_an_event_changed_twice_before_the_worker_ran_sends_one_notice_with_the_last_change(
    queue, mailoutbox
):
    event = EventFactory(title="Frukost")
    member = MemberFactory(preferred_language="en")
    rsvp_create(event=event, member=member)
    ProcrastinateJob.objects.all().delete()
    for city in ("Malmö", "Lund"):
        event.city = city
        event_save(event=event, changed_fields=["city"])
    run_queued_jobs()
    (notice,) = mailoutbox
    assert "Changed time or place: Frukost" in notice.subject and "Lund" in notice.body
    # From what the member last heard to what it is now: the replaced notice's "before" is kept.
    assert (
        "Place: was Stadsbiblioteket, Götaplatsen 3, Göteborg, now Stadsbiblioteket, Götaplatsen 3, Lund"
        in (notice.body)
    )
    assert "Malmö" not in notice.body


def test_an_event_changed_and_changed_back_before_the_worker_ran_sends_no_notice(queue, mailoutbox):
    event = EventFactory(title="Frukost")
    rsvp_create(event=event, member=MemberFactory(preferred_language="en"))
    ProcrastinateJob.objects.all().delete()
    for city in ("Malmö", "Göteborg"):
        event.city = city
        event_save(event=event, changed_fields=["city"])
    run_queued_jobs()
    assert mailoutbox == []


def test_a_mail_cancelled_from_the_admin_is_forgotten_after_the_keep_days_like_a_delivered_one(
    queue, admin_client
):
    from asgiref.sync import async_to_sync

    from otg.jobs.tasks import jobs_prune

    for subject in ("Levererat", "Stoppat"):
        mail.send_mail(
            subject, "Länk: https://example.org/konto/password/reset/key/x", None, ["kim@example.org"]
        )
    delivered, stopped = ProcrastinateJob.objects.order_by("pk")
    run_queued_jobs()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET status = 'succeeded' WHERE id = %s", [delivered.pk])
    reply = admin_client.post(
        "/admin/procrastinate/procrastinatejob/", {"action": "cancel", "_selected_action": [stopped.pk]}
    )
    assert reply.status_code == 302
    assert ProcrastinateJob.objects.get(pk=stopped.pk).status == "cancelled"
    with connection.cursor() as cursor:  # both ended longer ago than JOBS_KEEP_DAYS
        cursor.execute("UPDATE procrastinate_events SET at = now() - interval '30 days'")

    async_to_sync(jobs_prune.func)(timestamp=0)

    assert list(ProcrastinateJob.objects.values_list("status", flat=True)) == []


def test_a_member_promoted_then_cancelled_before_the_worker_ran_gets_nothing(queue, mailoutbox):
    event = EventFactory(capacity=1)
    first, second = MemberFactory(), MemberFactory()
    going = rsvp_create(event=event, member=first)
    waiting = rsvp_create(event=event, member=second)
    rsvp_cancel(rsvp=going)  # second is promoted
    rsvp_cancel(rsvp=Rsvp.objects.get(pk=waiting.pk))
    run_queued_jobs()
    assert mailoutbox == []


def test_a_confirmation_shows_the_event_as_edited_after_it_was_queued(queue, mailoutbox):
    event = EventFactory(title="Frukost", city="Göteborg")
    member = MemberFactory(preferred_language="sv")
    rsvp_create(event=event, member=member)
    event.title, event.city = "Lunch", "Borås"
    event_save(event=event, changed_fields=["title", "city"])
    run_queued_jobs()
    confirmation = mailoutbox[0]
    assert confirmation.subject.endswith("Du kommer: Lunch")
    assert "Borås" in confirmation.body and "Göteborg" not in confirmation.body
    assert "SEQUENCE:1" in confirmation.attachments[0][1] and "Borås" in confirmation.attachments[0][1]
