"""The events' background jobs: their mail, the day-before reminders and invitations to those who said
"kanske", and the erasure of stated needs.

Services queue these by name (otg.jobs.queue.enqueue), so no service imports this module.
"""

from procrastinate.contrib.django import app

from events.services.follows import (
    follow_digest_render,
    follow_digests_send,
    follow_mail_render,
    followers_notify,
)
from events.services.mail import event_mail_render
from events.services.rsvps import rsvp_maybe_invitations_send, rsvp_needs_erase, rsvp_reminders_send
from events.services.schedule import session_mail_render
from otg.jobs.mail import mail_task
from otg.jobs.queue import job, periodic_retry

event_mail_send = mail_task(name="event_mail_send", render=event_mail_render)
follow_mail_send = mail_task(name="follow_mail_send", render=follow_mail_render)
follow_digest_send = mail_task(name="follow_digest_send", render=follow_digest_render)


# Periodic on the workers; Procrastinate defers each tick once however many workers run. A failed run
# is retried every few seconds until the next tick (periodic_retry), never past it.
@app.periodic(cron="*/10 * * * *", periodic_id="reminders")
@job(
    name="event_reminders_send",
    queueing_lock="event_reminders_send",
    retry=periodic_retry(period_seconds=600),
)
def event_reminders_send(timestamp: int) -> int:
    """Remind those going to an event that starts within a day; each RSVP once (rsvp_reminders_send)."""
    return rsvp_reminders_send()


@app.periodic(cron="5-59/10 * * * *", periodic_id="maybe_invitations")
@job(
    name="event_maybe_invitations_send",
    queueing_lock="event_maybe_invitations_send",
    retry=periodic_retry(period_seconds=600),
)
def event_maybe_invitations_send(timestamp: int) -> int:
    """A day before, invite each "kanske" to say yes while places are left (rsvp_maybe_invitations_send)."""
    return rsvp_maybe_invitations_send()


@app.periodic(cron="15 3 * * *", periodic_id="needs")
@job(name="event_needs_erase", queueing_lock="event_needs_erase", retry=periodic_retry(period_seconds=86400))
def event_needs_erase(timestamp: int) -> int:
    """Erase stated needs after EVENT_NEEDS_RETENTION_DAYS (rsvp_needs_erase)."""
    return rsvp_needs_erase()


@job(name="event_followers_notify")
def event_followers_notify(*, event_id: int) -> int:
    """Fan out the "new event" mails to its followers; safe to run twice (followers_notify)."""
    return followers_notify(event_id=event_id)


@app.periodic(cron="0 7 * * 1", periodic_id="follow_digests")
@job(
    name="event_follow_digests",
    queueing_lock="event_follow_digests",
    retry=periodic_retry(period_seconds=7 * 86400),
)
def event_follow_digests(timestamp: int) -> int:
    """Monday 07:00: the weekly digests of new events on followed topics and cities."""
    return follow_digests_send()


session_mail_send = mail_task(name="session_mail_send", render=session_mail_render)
