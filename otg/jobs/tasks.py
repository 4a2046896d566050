"""The queue's own tasks: mail delivery, stalled jobs back in the queue, finished ones forgotten."""

from asgiref.sync import sync_to_async
from django.conf import settings
from procrastinate.contrib.django import app
from procrastinate.exceptions import ConnectorException
from procrastinate.jobs import Status

from otg.jobs.mail import MAIL_RETRY, deliver, mail_scrub, message_from_data
from otg.jobs.queue import (
    STALLED_AFTER,
    WorkerStopped,
    failure_record,
    failures_prune,
    record_failure,
    running_job_id,
)


@app.task(name="mail_deliver", retry=MAIL_RETRY, task_middleware=[record_failure], pass_context=False)
def mail_deliver(*, message: dict) -> None:
    """Deliver one message queued by Django's mail API (otg.jobs.mail.QueueBackend), then keep it without
    its text (mail_scrub): a delivered job holds no reset link or code."""
    if message.get("scrubbed"):
        # Delivered and scrubbed, then run again (its worker died before the job was marked done):
        # sending the empty shell would be a second, blank mail.
        return
    deliver([message_from_data(message)])
    mail_scrub(job_id=running_job_id(), data=message)


# Both housekeeping tasks are periodic on every worker; Procrastinate defers each tick once, whatever
# the number of workers (procrastinate_periodic_defers), and the queueing lock keeps one in the queue.
@app.periodic(cron=f"* * * * * */{STALLED_AFTER}", periodic_id="stalled")
@app.task(name="jobs_retry_stalled", queueing_lock="jobs_retry_stalled", pass_context=False)
async def jobs_retry_stalled(timestamp: int) -> int:
    """Put the jobs of workers whose heartbeat stopped back in the queue, each death a failed attempt.

    A job that kills every worker that runs it (a message too big for memory, say) then fails for good
    once its task's retries are used up, instead of taking one worker down after another for ever; the
    admin shows each death beside the job, as any other failure.
    """
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER)
    for stalled_job in stalled:
        error = WorkerStopped(
            f"the worker running this job stopped mid-job (no heartbeat for {STALLED_AFTER} s: killed, "
            "out of memory or power lost)"
        )
        task = app.tasks.get(stalled_job.task_name)
        strategy = task.retry_strategy if task else None
        decision = strategy.get_retry_decision(exception=error, job=stalled_job) if strategy else None
        try:
            if decision is None:
                await app.job_manager.finish_job(stalled_job, status=Status.FAILED, delete_job=False)
            else:
                await app.job_manager.retry_job(stalled_job)  # at once: a death is not an outage
        except ConnectorException:
            continue  # another worker's run of this task took it first
        await sync_to_async(failure_record)(
            job_id=stalled_job.id, attempt=stalled_job.attempts + 1, error=error
        )
    return len(stalled)


@app.periodic(cron="30 3 * * *", periodic_id="prune")
@app.task(name="jobs_prune", queueing_lock="jobs_prune", pass_context=False)
async def jobs_prune(timestamp: int) -> None:
    """Forget finished jobs after JOBS_KEEP_DAYS (their arguments hold addresses and links); failed ones
    stay for staff. Cancelled and aborted ones (staff stopped them in the admin) are finished too: kept,
    they held a mail's address and text, a password reset link say, for ever."""
    await app.job_manager.delete_old_jobs(
        nb_hours=24 * settings.JOBS_KEEP_DAYS, include_cancelled=True, include_aborted=True
    )
    await sync_to_async(failures_prune)()
