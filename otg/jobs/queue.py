"""The queue: how a job is queued, retried, and its failures recorded (otg.jobs)."""

import json
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models.expressions import RawSQL
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.jobs import Status

from otg.jobs.models import JobFailure

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


def enqueue(task: str, **kwargs: Any) -> None:
    """Queue the task named ``task`` with plain JSON ``kwargs`` (ids and strings), or run it with
    JOBS_INLINE. KeyError for a name no task has.

    Tasks are named, not imported: a service that queues its mail never imports the module of tasks
    that calls it back. Uses the request's own database connection (Procrastinate's Django connector):
    called inside a transaction, the job is committed (or rolled back) with it, and a worker sees it only
    after the commit. Inline (the tests) it runs once the transaction commits, so a rolled-back write
    sends nothing there either.
    """
    registered = app.tasks[task]
    if settings.JOBS_INLINE:
        transaction.on_commit(lambda: registered(**kwargs))
    else:
        registered.defer(**kwargs)


def enqueue_many(task: str, kwargs_list: list[dict[str, Any]]) -> None:
    """Queue one job of the task named ``task`` per kwargs in one statement (Procrastinate's
    batch_defer), as ``enqueue``.

    A fan-out (an event's change told to its thousand attendees) is then one INSERT in its
    transaction, not a thousand round trips while the event's row is locked.
    """
    if not kwargs_list:
        return
    if settings.JOBS_INLINE:
        for kwargs in kwargs_list:
            enqueue(task, **kwargs)
    else:
        app.tasks[task].batch_defer(*kwargs_list)


def failure_record(*, job_id: int, attempt: int, error: BaseException) -> None:
    """Store why an attempt of a job failed, for the admin (JobFailure)."""
    JobFailure.objects.create(job_id=job_id, attempt=attempt, error=f"{type(error).__name__}: {error}"[:2000])


_running: ContextVar[int | None] = ContextVar("job_running", default=None)


def running_job_id() -> int | None:
    """The id of the job this thread is running; None outside a worker (and in the tests' inline runs).

    It stays the same when the job runs again, so what the job sends can say "this is the same one"
    (otg.jobs.mail.deliver gives each mail a Message-ID made from it).
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


def jobs_delete(*, where: str, params: list) -> int:
    """Delete jobs that are not running and match a SQL condition on `args` (jsonb) and `task_name`.

    Their recorded failures go with them: an SMTP refusal's error names the address.
    """
    return len(jobs_take(where=where, params=params))


def jobs_take(*, where: str, params: list) -> list[dict]:
    """``jobs_delete``, returning the arguments of the jobs it deleted: a job that replaces them can
    carry on what they held (an event's change notice, the values before an earlier change)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM procrastinate_jobs WHERE status <> %s AND ({where}) RETURNING id, args",  # noqa: S608
            [Status.DOING.value, *params],
        )
        deleted = cursor.fetchall()
    JobFailure.objects.filter(job_id__in=[row[0] for row in deleted]).delete()
    return [row[1] if isinstance(row[1], dict) else json.loads(row[1]) for row in deleted]


def failures_prune() -> int:
    """Forget the failures of jobs that no longer exist (pruned or deleted)."""
    return JobFailure.objects.exclude(job_id__in=RawSQL("SELECT id FROM procrastinate_jobs", [])).delete()[0]
