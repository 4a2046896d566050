"""The events' background jobs: their mail, the day-before reminders and the erasure of stated needs."""

from procrastinate.contrib.django import app

from events import services
from otg.common.jobs import job, periodic_retry
from otg.common.mail import MAIL_RETRY, deliver


@job(name="event_mail_send", retry=MAIL_RETRY)
def event_mail_send(
    *,
    member_id: int,
    event_id: int,
    template: str,
    attach_ics: bool = False,
    extra: dict | None = None,
    rsvp_id: int | None = None,
) -> bool:
    """Render one event mail from the current data and deliver it; False when it no longer applies."""
    message = services.event_mail_render(
        member_id=member_id,
        event_id=event_id,
        template=template,
        attach_ics=attach_ics,
        extra=extra,
        rsvp_id=rsvp_id,
    )
    if message is None:
        return False
    deliver([message])
    return True


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
    return services.rsvp_reminders_send()


@app.periodic(cron="15 3 * * *", periodic_id="needs")
@job(name="event_needs_erase", queueing_lock="event_needs_erase", retry=periodic_retry(period_seconds=86400))
def event_needs_erase(timestamp: int) -> int:
    """Erase stated needs after EVENT_NEEDS_RETENTION_DAYS (rsvp_needs_erase)."""
    return services.rsvp_needs_erase()


@job(name="event_followers_notify")
def event_followers_notify(*, event_id: int) -> int:
    """Fan out the "new event" mails to its followers; safe to run twice (services.followers_notify)."""
    return services.followers_notify(event_id=event_id)


@job(name="follow_mail_send", retry=MAIL_RETRY)
def follow_mail_send(*, member_id: int, event_id: int) -> bool:
    message = services.follow_mail_render(member_id=member_id, event_id=event_id)
    if message is None:
        return False
    deliver([message])
    return True


@app.periodic(cron="0 7 * * 1", periodic_id="follow_digests")
@job(
    name="event_follow_digests",
    queueing_lock="event_follow_digests",
    retry=periodic_retry(period_seconds=7 * 86400),
)
def event_follow_digests(timestamp: int) -> int:
    """Monday 07:00: the weekly digests of new events on followed topics and cities."""
    return services.follow_digests_send()


@job(name="follow_digest_send", retry=MAIL_RETRY)
def follow_digest_send(*, follow_id: int, event_ids: list[int]) -> bool:
    message = services.follow_digest_render(follow_id=follow_id, event_ids=event_ids)
    if message is None:
        return False
    deliver([message])
    return True
