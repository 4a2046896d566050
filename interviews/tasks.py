"""The interviews' background jobs: telling the followers of a topic of a new interview on it.

Services queue these by name (otg.jobs.queue.enqueue), so no service imports this module.
"""

from procrastinate.contrib.django import app

from interviews.services import (
    interview_follow_mail_render,
    interview_followers_notify,
    interview_followers_notify_due,
)
from otg.jobs.mail import mail_task
from otg.jobs.queue import job, periodic_retry

interview_follow_mail_send = mail_task(name="interview_follow_mail_send", render=interview_follow_mail_render)


@job(name="interview_followers_notify")
def interview_followers_notify_job(*, interview_id: int) -> int:
    """Fan out the "new interview" mails to its topics' followers; safe to run twice."""
    return interview_followers_notify(interview_id=interview_id)


# A scheduled interview becomes public by itself when its time comes (Interview.objects.published()):
# its followers are told within ten minutes of it.
@app.periodic(cron="*/10 * * * *", periodic_id="interview_followers")
@job(
    name="interview_followers_notify_due",
    queueing_lock="interview_followers_notify_due",
    retry=periodic_retry(period_seconds=600),
)
def interview_followers_notify_due_job(timestamp: int) -> int:
    return interview_followers_notify_due()
