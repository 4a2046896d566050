"""Error reports to ADMINS: straight to the delivery backend, never through the job queue."""

import logging
import threading
import time

from django.conf import settings
from django.core.mail import get_connection
from django.utils.log import AdminEmailHandler as DjangoAdminEmailHandler


class AdminEmailHandler(DjangoAdminEmailHandler):
    """Django's error mail, straight to EMAIL_DELIVERY_BACKEND with a short timeout, never queued.

    Queued, an error report would need the database; with the database down every page then waited
    for it and failed. A report that cannot be sent at once is dropped (it is on the console anyway).
    """

    def connection(self):
        backend = self.email_backend or settings.EMAIL_DELIVERY_BACKEND
        options = {"timeout": settings.ADMIN_EMAIL_TIMEOUT} if "smtp" in backend else {}
        return get_connection(backend=backend, fail_silently=True, **options)


class ErrorMailLimit(logging.Filter):
    """At most ERROR_MAIL_LIMIT error mails per ERROR_MAIL_WINDOW seconds from one process.

    A flood of bad requests or a failing dependency then sends a few reports, not one per request.
    The rest still reach the console log: this filter sits on the mail handler only.
    """

    def __init__(self, name: str = ""):
        super().__init__(name)
        self._sent: list[float] = []
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        with self._lock:
            self._sent = [t for t in self._sent if now - t < settings.ERROR_MAIL_WINDOW]
            if len(self._sent) >= settings.ERROR_MAIL_LIMIT:
                return False
            self._sent.append(now)
            return True
