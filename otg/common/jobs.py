"""Background jobs on the portal's own PostgreSQL, through Procrastinate (README: "Background jobs").

A job is a row in `procrastinate_jobs` holding a registered task's name and plain JSON arguments (ids
and strings). `manage.py procrastinate worker` runs them; any number of workers on any number of
machines may run against the same database: each job is taken with FOR UPDATE SKIP LOCKED, so it runs
once. The tests run jobs inline (JOBS_INLINE) unless a test starts a real worker.

What happens when a job fails:
- it is retried with backoff (RETRY: 3 s, 9 s, 27 s, … for about a day), and every failure is stored
  with its error (JobFailure), which the admin shows beside the job;
- a worker that dies mid-job (SIGKILL, power loss) stops beating its heart; after STALLED_AFTER
  seconds `jobs_retry_stalled` (periodic, on every live worker) puts its jobs back in the queue, each
  death counted and shown as a failed attempt, so a job that kills every worker stops after its last;
- a job that fails for good stays "failed" in the admin (Procrastinate, Jobs), with its error; staff
  retry it there with the action "Retry Job".
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models.expressions import RawSQL
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.exceptions import ConnectorException
from procrastinate.jobs import Status

STALLED_AFTER = 3 * settings.JOBS_HEARTBEAT_SECONDS


class WorkerStopped(Exception):
    """The worker running a job stopped beating its heart mid-job: killed, out of memory, power lost."""


# What a later attempt can get past: the network or the SMTP server (smtplib's errors are OSErrors), the
# database, a worker's death. Anything else (a template since renamed, arguments an older version
# queued, a bug) fails the same way every time: the job fails at once, its error in the admin, and
# staff retry it there once the cause is fixed, instead of it waiting a day in the queue.
TRANSIENT = (OSError, OperationalError, InterfaceError, WorkerStopped)
# Every failed attempt waits EXPONENTIAL ** attempt seconds: 3, 9, 27, …, 59049 s; ten retries span
# about a day, long enough for an SMTP provider's outage or a weekend's full mailbox.
RETRY = RetryStrategy(max_attempts=10, exponential_wait=3, retry_exceptions=TRANSIENT)


def periodic_retry(*, period_seconds: int, every_seconds: int = 5) -> RetryStrategy:
    """Retries for a periodic job: every few seconds, transient errors only, until its next tick.

    A periodic job waiting for a retry holds its queueing lock, and Procrastinate skips the ticks that
    come meanwhile: with RETRY's backoff, reminders that had failed through a short database fault
    waited minutes (after a longer one, hours) for their retry while their ten-minute ticks were dropped.
    """
    return RetryStrategy(
        max_attempts=max(1, period_seconds // every_seconds - 1),
        wait=every_seconds,
        retry_exceptions=TRANSIENT,
    )


def enqueue(task, **kwargs: Any) -> None:
    """Queue ``task`` with plain JSON ``kwargs`` (ids and strings), or run it with JOBS_INLINE.

    Uses the request's own database connection (Procrastinate's Django connector): called inside a
    transaction, the job is committed (or rolled back) with it, and a worker sees it only after the
    commit. Inline (the tests) it runs once the transaction commits, so a rolled-back write sends
    nothing there either.
    """
    if settings.JOBS_INLINE:
        transaction.on_commit(lambda: task(**kwargs))
    else:
        task.defer(**kwargs)


def enqueue_many(task, kwargs_list: list[dict[str, Any]]) -> None:
    """Queue one job of ``task`` per kwargs in one statement (Procrastinate's batch_defer), as ``enqueue``.

    A fan-out (an event's change told to its thousand attendees) is then one INSERT in its
    transaction, not a thousand round trips while the event's row is locked.
    """
    if not kwargs_list:
        return
    if settings.JOBS_INLINE:
        for kwargs in kwargs_list:
            enqueue(task, **kwargs)
    else:
        task.batch_defer(*kwargs_list)


def failure_record(*, job_id: int, attempt: int, error: BaseException) -> None:
    """Store why an attempt of a job failed, for the admin (JobFailure)."""
    from otg.site.models import JobFailure

    JobFailure.objects.create(job_id=job_id, attempt=attempt, error=f"{type(error).__name__}: {error}"[:2000])


_running: ContextVar[int | None] = ContextVar("job_running", default=None)


def running_job_id() -> int | None:
    """The id of the job this thread is running; None outside a worker (and in the tests' inline runs).

    It stays the same when the job runs again, so what the job sends can say "this is the same one"
    (otg.common.mail.deliver gives each mail a Message-ID made from it).
    """
    return _running.get()


def record_failure(call_next: Callable[[], Any], context, worker) -> Any:
    """Task middleware: note the running job (running_job_id), store each failed attempt's error for the
    admin, then let Procrastinate retry."""
    token = _running.set(context.job.id)
    try:
        return call_next()
    except Exception as error:
        failure_record(job_id=context.job.id, attempt=(context.job.attempts or 0) + 1, error=error)
        raise
    finally:
        _running.reset(token)


def job(**options: Any):
    """Register a task that retries with RETRY and records its failures (options as app.task's)."""
    options.setdefault("retry", RETRY)
    options.setdefault("pass_context", False)
    return app.task(task_middleware=[record_failure], **options)


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


def jobs_delete(*, where: str, params: list) -> int:
    """Delete jobs that are not running and match a SQL condition on `args` (jsonb) and `task_name`.

    Their recorded failures go with them: an SMTP refusal's error names the address.
    """
    from django.db import connection

    from otg.site.models import JobFailure

    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM procrastinate_jobs WHERE status <> %s AND ({where}) RETURNING id",  # noqa: S608
            [Status.DOING.value, *params],
        )
        deleted = [row[0] for row in cursor.fetchall()]
    JobFailure.objects.filter(job_id__in=deleted).delete()
    return len(deleted)


def failures_prune() -> int:
    """Forget the failures of jobs that no longer exist (pruned or deleted)."""
    from otg.site.models import JobFailure

    return JobFailure.objects.exclude(job_id__in=RawSQL("SELECT id FROM procrastinate_jobs", [])).delete()[0]
