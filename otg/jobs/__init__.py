"""Background jobs on the portal's own PostgreSQL, through Procrastinate (docs/jobs.md): the queue
(queue.py), mail as jobs (mail.py), the queue's own tasks (tasks.py) and the record of failed attempts
(models.py). Nothing in otg.common depends on it.

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
