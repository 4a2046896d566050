import pytest
from django.db import connection

QUEUE_TABLES = (
    "procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers"
)


@pytest.fixture
def queue(settings):
    """The production path: Django's mail API queues a job; nothing runs it in this process.

    Procrastinate's tables are not Django's (unmanaged), so a transactional test's flush leaves them:
    empty them before and after each test that looks at them.
    """
    settings.EMAIL_BACKEND = "otg.jobs.mail.QueueBackend"
    settings.JOBS_INLINE = False
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {QUEUE_TABLES} CASCADE")
    yield settings
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {QUEUE_TABLES} CASCADE")
