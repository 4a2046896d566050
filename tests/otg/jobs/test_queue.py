"""Nothing is lost: real worker processes against the test database and a real SMTP server on loopback.

An SMTP outage is retried with backoff and delivered later; a worker killed with SIGKILL mid-job
leaves its job to another worker; a job that fails for good waits in the admin with its error and is
retried from there; two workers competing for the same jobs run each once.
"""

import os
import re
import signal
import subprocess
import sys

import pytest
from django.core import mail
from procrastinate.contrib.django.models import ProcrastinateJob

from otg.jobs.mail import MAIL_RETRY
from otg.jobs.models import JobFailure
from tests.helpers.servers import ROOT, free_port
from tests.helpers.smtp import Inbox, smtp_server, wait_for, worker, worker_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def finished(job: ProcrastinateJob) -> bool:
    return ProcrastinateJob.objects.get(pk=job.pk).status == "succeeded"


def job_of(subject: str) -> ProcrastinateJob:
    return ProcrastinateJob.objects.get(task_name="mail_deliver", args__message__subject=subject)


def test_an_smtp_outage_is_retried_with_backoff_and_delivered_later(queue):
    port = free_port()  # nothing listens here yet: the SMTP server is "down"
    assert mail.send_mail("Välkommen", "Hej och välkommen!", None, ["ada@example.org"]) == 1
    job = job_of("Välkommen")
    assert job.status == "todo"

    with worker(worker_env(queue.DATABASES["default"], port)) as process:
        wait_for(
            lambda: (
                JobFailure.objects.filter(job_id=job.pk).exists()
                and ProcrastinateJob.objects.get(pk=job.pk).status != "doing"
            ),
            timeout=30,
            what="the first attempt to fail",
            processes=(process,),
        )
        failure = JobFailure.objects.get(job_id=job.pk)
        assert "Connection refused" in failure.error or "ConnectionRefusedError" in failure.error
        job.refresh_from_db()
        assert job.status == "todo"  # deferred for a retry, not failed
        assert job.scheduled_at is not None

        with smtp_server(port) as (_port, inbox):  # the SMTP server comes back
            wait_for(lambda: finished(job), timeout=30, what="the retry to deliver", processes=(process,))
            job.refresh_from_db()
            assert job.status == "succeeded"
            assert job.attempts == 2
            (message,) = inbox.messages()
            assert message["to"] == "ada@example.org"
            assert "Hej och välkommen!" in message.get_content()


def test_a_worker_killed_mid_job_leaves_the_job_to_another_worker(queue):
    inbox = Inbox()
    inbox.hold = True
    with smtp_server(inbox=inbox) as (port, inbox):
        mail.send_mail("Påminnelse", "Glöm inte!", None, ["bo@example.org"])
        job = job_of("Påminnelse")
        env = worker_env(queue.DATABASES["default"], port)
        with worker(env) as first:
            wait_for(
                inbox.holding.is_set, timeout=30, what="the first worker to be mid-job", processes=(first,)
            )
            job.refresh_from_db()
            assert job.status == "doing"
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        inbox.released.set()
        job.refresh_from_db()
        assert job.status == "doing"  # the dead worker never finished it
        assert inbox.envelopes == []

        with worker(env) as second:
            wait_for(
                lambda: finished(job), timeout=40, what="another worker to retry it", processes=(second,)
            )
            job.refresh_from_db()
            assert job.status == "succeeded"
        assert inbox.subjects() == ["Påminnelse"]
        (failure,) = JobFailure.objects.filter(job_id=job.pk)  # staff can see why it ran twice
        assert failure.attempt == 1 and "stopped" in failure.error


def test_a_reminder_resent_after_a_crash_between_sending_and_recording_carries_the_same_message_id(queue):
    """The one window no queue can close: the SMTP server took the reminder, and the worker died before
    it recorded that. The job runs again (nothing is lost), and the second copy has the first one's
    Message-ID, which mail systems use to drop a duplicate. The reminder itself is recorded once."""
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Rsvp
    from events.services.rsvps import rsvp_create, rsvp_reminders_send
    from tests.factories import EventFactory, MemberFactory

    event = EventFactory(title="Frukost", start=timezone.now() + timedelta(hours=20))
    rsvp = rsvp_create(event=event, member=MemberFactory(preferred_language="sv"))
    ProcrastinateJob.objects.all().delete()  # its confirmation
    assert rsvp_reminders_send() == 1
    assert rsvp_reminders_send() == 0
    inbox = Inbox()
    inbox.hold_accepted = True
    with smtp_server(inbox=inbox) as (port, inbox):
        env = worker_env(queue.DATABASES["default"], port)
        with worker(env) as first:
            wait_for(inbox.holding.is_set, timeout=30, what="the reminder to be taken", processes=(first,))
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        inbox.released.set()
        with worker(env) as second:
            wait_for(
                lambda: ProcrastinateJob.objects.get(task_name="event_mail_send").status == "succeeded",
                timeout=40,
                what="the reminder's job to run again",
                processes=(second,),
            )
        first_copy, second_copy = inbox.messages()
    assert first_copy["subject"] == second_copy["subject"]
    assert re.fullmatch(r"\[One Team Gov Sverige\] I (dag|morgon) \d\d\.\d\d: Frukost", first_copy["subject"])
    assert first_copy["Message-ID"] == second_copy["Message-ID"]
    assert Rsvp.objects.filter(pk=rsvp.pk, reminder_sent_at__isnull=False).count() == 1


def test_a_job_that_kills_its_worker_every_time_fails_for_good_with_the_reason_shown(queue, admin_client):
    """A job whose worker dies under it (out of memory, say) counts each death as a failed attempt: after
    the last attempt it stops, visibly, instead of taking down one worker after another for ever."""
    inbox = Inbox()
    inbox.hold = True
    with smtp_server(inbox=inbox) as (port, inbox):
        mail.send_mail("Tung", "Stor bilaga", None, ["cy@example.org"])
        job = job_of("Tung")
        ProcrastinateJob.objects.filter(pk=job.pk).update(attempts=MAIL_RETRY.max_attempts)  # its last
        env = worker_env(queue.DATABASES["default"], port)
        with worker(env) as first:
            wait_for(inbox.holding.is_set, timeout=30, what="the worker to be mid-job", processes=(first,))
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        inbox.released.set()

        with worker(env) as second:
            wait_for(
                lambda: ProcrastinateJob.objects.get(pk=job.pk).status != "doing",
                timeout=40,
                what="the dead worker's job to be seen",
                processes=(second,),
            )
            job.refresh_from_db()
            assert job.status == "failed"
        assert inbox.envelopes == []
        (failure,) = JobFailure.objects.filter(job_id=job.pk)
        assert "stopped" in failure.error
        page = admin_client.get(
            "/admin/procrastinate/procrastinatejob/?status__exact=failed"
        ).content.decode()
        assert failure.error in page


def test_a_job_that_fails_for_good_is_shown_in_the_admin_and_retried_from_there(queue, admin_client):
    inbox = Inbox()
    inbox.refused.add("nobody@example.org")
    with smtp_server(inbox=inbox) as (port, inbox):
        mail.send_mail("Kvitto", "Tack!", None, ["nobody@example.org"])
        job = job_of("Kvitto")
        with worker(worker_env(queue.DATABASES["default"], port)) as process:
            wait_for(
                lambda: ProcrastinateJob.objects.get(pk=job.pk).status == "failed",
                timeout=30,
                what="the refused mail to fail",
                processes=(process,),
            )
            assert inbox.envelopes == []  # a permanent refusal (5xx) is not retried

            listing = admin_client.get("/admin/procrastinate/procrastinatejob/?status__exact=failed")
            page = listing.content.decode()
            assert listing.status_code == 200
            assert "mail_deliver" in page
            assert "550" in page and "No such user here" in page  # the error, beside the job
            detail = admin_client.get(f"/admin/procrastinate/procrastinatejob/{job.pk}/change/")
            assert "No such user here" in detail.content.decode()

            inbox.refused.clear()  # the address was fixed on the receiving side
            retried = admin_client.post(
                "/admin/procrastinate/procrastinatejob/",
                {"action": "retry", "_selected_action": [job.pk]},
            )
            assert retried.status_code == 302
            wait_for(lambda: finished(job), timeout=30, what="the retried job", processes=(process,))
        assert inbox.subjects() == ["Kvitto"]
        assert ProcrastinateJob.objects.get(pk=job.pk).status == "succeeded"


def test_two_workers_competing_run_each_job_once(queue):
    with smtp_server() as (port, inbox):
        for number in range(120):
            mail.send_mail(f"Nyhet {number}", "Text", None, [f"m{number}@example.org"])
        env = worker_env(queue.DATABASES["default"], port)
        with worker(env) as first, worker(env) as second:
            wait_for(
                lambda: (
                    len(inbox.envelopes) >= 120
                    and not ProcrastinateJob.objects.filter(task_name="mail_deliver").exclude(
                        status="succeeded"
                    )
                ),
                timeout=90,
                what="all 120 mails",
                processes=(first, second),
            )
            # Both took part: each job was taken by one worker (FOR UPDATE SKIP LOCKED).
            takers = ProcrastinateJob.objects.filter(task_name="mail_deliver").values_list(
                "worker_id", flat=True
            )
            assert len(set(takers)) == 2
        subjects = inbox.subjects()
        assert len(subjects) == 120
        assert sorted(subjects) == sorted(f"Nyhet {n}" for n in range(120))
        attempts = ProcrastinateJob.objects.filter(task_name="mail_deliver").values_list(
            "attempts", flat=True
        )
        assert set(attempts) == {1}


def test_bad_arguments_fail_at_once_visibly_and_the_queue_goes_on(queue, admin_client):
    """Arguments no run can use (a template since renamed, a parameter an older version queued, a task
    that no longer exists) fail the same way every time: the job fails at once, its error in the admin,
    and the mail behind it is delivered; only outages and dead workers are retried."""
    from procrastinate.contrib.django import app

    from events.services.rsvps import rsvp_create
    from events.tasks import event_mail_send
    from tests.factories import EventFactory, MemberFactory

    member, event = MemberFactory(), EventFactory()
    rsvp_create(event=event, member=member)
    ProcrastinateJob.objects.all().delete()  # its confirmation
    event_mail_send.defer(member_id=member.pk, event_id=event.pk, template="rsvp_confirmed")
    event_mail_send.defer(member_id=member.pk, event_id=event.pk, template="rsvp_going", language="sv")
    app.configure_task("event_mail_render", allow_unknown=True).defer(member_id=member.pk)
    bad = list(ProcrastinateJob.objects.order_by("pk"))
    with smtp_server() as (port, inbox):
        mail.send_mail("Efter", "Text", None, ["dan@example.org"])
        with worker(worker_env(queue.DATABASES["default"], port)) as process:
            wait_for(
                lambda: (
                    set(ProcrastinateJob.objects.values_list("status", flat=True)) <= {"failed", "succeeded"}
                ),
                timeout=20,
                what="every job to end",
                processes=(process,),
            )
        assert inbox.subjects() == ["Efter"]
    assert [ProcrastinateJob.objects.get(pk=job.pk).status for job in bad] == ["failed"] * 3
    assert [job.attempts for job in ProcrastinateJob.objects.filter(pk__in=[j.pk for j in bad])] == [1] * 3
    page = admin_client.get("/admin/procrastinate/procrastinatejob/?status__exact=failed").content.decode()
    assert "TemplateDoesNotExist" in page and "rsvp_confirmed" in page
    assert "unexpected keyword argument" in page
    assert "TaskNotFound" in page and "event_mail_render" in page


def test_two_workers_run_each_tick_of_a_periodic_job_once(queue):
    """Each worker defers the periodic jobs; PostgreSQL keeps one per task and tick (the stalled-job
    check ticks every 3 s here; a worker starting also defers the reminders' latest tick)."""
    with smtp_server() as (port, _inbox):
        env = worker_env(queue.DATABASES["default"], port)
        with worker(env) as first, worker(env) as second:
            wait_for(
                lambda: (
                    ProcrastinateJob.objects.filter(
                        task_name="jobs_retry_stalled", status="succeeded"
                    ).count()
                    >= 3
                ),
                timeout=40,
                what="three ticks of the stalled-job check",
                processes=(first, second),
            )
    ticks = list(ProcrastinateJob.objects.exclude(task_name="mail_deliver").values_list("task_name", "args"))
    assert len(ticks) == len({(name, args["timestamp"]) for name, args in ticks})
    assert {name for name, _args in ticks} >= {"jobs_retry_stalled", "event_reminders_send"}


# A write and the work it queues commit together, or not at all. Work queued from an on-commit hook is
# lost when the process dies between the commit and the hook (a gunicorn worker killed at its timeout,
# out of memory), or when an earlier hook raises. Each write runs in a real process that is SIGKILLed
# the moment its transaction has committed.
DIES_AFTER_COMMIT = """
import os, signal
from django.db import transaction
from events.models import Event
from events.services.events import event_publish
from events.services.hosting import cohost_invite
from members.models import Member
with transaction.atomic():
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    {write}
"""


@pytest.mark.parametrize(
    ("write", "task_name", "expected"),
    [
        ("event_publish(event=Event.objects.get(pk={event}))", "event_followers_notify", "{event}"),
        (
            "cohost_invite(event=Event.objects.get(pk={event}), email='co@example.org', "
            "invited_by=Member.objects.get(pk={member}))",
            "mail_deliver",
            "co@example.org",
        ),
        (
            "__import__('members.services').services.member_make_editor(member=Member.objects.get(pk={member}))",
            "mail_deliver",
            "{email}",
        ),
    ],
    ids=["followers told of a published event", "co-host invitation", "new editor's welcome"],
)
def test_work_a_write_queues_survives_the_process_dying_right_after_its_commit(
    queue, write, task_name, expected
):
    from tests.factories import EventFactory, MemberFactory
    from tests.helpers.servers import database_url, portal_env

    member = MemberFactory(email="ed@example.org")
    event = EventFactory(status="draft")
    values = {"event": event.pk, "member": member.pk, "email": member.email}
    code = DIES_AFTER_COMMIT.format(write=write.format(**values))
    env = portal_env(DATABASE_URL=database_url(queue.DATABASES["default"]), DJANGO_LOG_LEVEL="ERROR")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()[-2000:]

    jobs = [
        str(args)
        for args in ProcrastinateJob.objects.filter(task_name=task_name).values_list("args", flat=True)
    ]
    assert any(expected.format(**values) in args for args in jobs), jobs


def test_reminders_resume_within_seconds_once_a_passing_database_fault_clears(queue):
    """A periodic job waiting for its retry holds its queueing lock, so its ticks in between are skipped:
    its retries must come sooner than its next tick. With the mail's backoff, reminders that had failed
    three times waited 27 s more (and after a longer fault, hours) though the fault had cleared."""
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from events.services.rsvps import rsvp_create
    from tests.factories import EventFactory, MemberFactory

    event = EventFactory(title="Frukost", start=timezone.now() + timedelta(hours=20))
    rsvp_create(event=event, member=MemberFactory(preferred_language="sv"))
    ProcrastinateJob.objects.all().delete()  # its confirmation
    with smtp_server() as (port, inbox):
        # The worker's sessions give up on a lock after 0.2 s: the reminders' query then fails (55P03).
        env = worker_env(queue.DATABASES["default"], port, PGOPTIONS="-c lock_timeout=200")
        with worker(env) as process:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("LOCK TABLE events_rsvp IN ACCESS EXCLUSIVE MODE")
                wait_for(
                    lambda: _failures_of("event_reminders_send") >= 3,
                    timeout=60,
                    what="the reminders to fail three times",
                    processes=(process,),
                )
            wait_for(
                lambda: inbox.subjects(),
                timeout=15,
                what="the reminder after the fault",
                processes=(process,),
            )
        (subject,) = inbox.subjects()
        assert re.fullmatch(r"\[One Team Gov Sverige\] I (dag|morgon) \d\d\.\d\d: Frukost", subject)


def _failures_of(task_name: str) -> int:
    # Read committed: the test's transaction (which holds the lock) sees what the worker has committed.
    jobs = ProcrastinateJob.objects.filter(task_name=task_name).values("id")
    return JobFailure.objects.filter(job_id__in=jobs).count()
