"""Every mail is a background job: queued in the request, delivered by the worker (otg.jobs).

EMAIL_BACKEND is QueueBackend, so whatever calls Django's mail API (allauth's verification, password
and code mails, send_mail, EmailMessage.send) only inserts a job holding the message as plain data:
strings, lists and base64 attachments, never a pickled object. The job `mail_deliver` rebuilds the
message and hands it to EMAIL_DELIVERY_BACKEND: SMTP from EMAIL_URL, files under var/mail/ without it.

Mail about events is queued as ids instead and rendered by its job (events.tasks, made by mail_task
below), from the data as it is when the job runs, in the member's language.

An SMTP outage or a temporary refusal (4xx) is retried with backoff (otg.jobs.queue.RETRY); a
permanent refusal (5xx) fails the job at once: it waits in the admin with its error for staff to
retry. Error reports to ADMINS never go through the queue (otg.common.error_mail).
"""

import base64
import contextlib
import hashlib
import json
import re
import smtplib
import threading
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.db.models import Q
from django.utils.crypto import salted_hmac
from procrastinate import RetryStrategy

from otg.jobs.models import JobFailure
from otg.jobs.queue import RETRY, enqueue, job, jobs_delete, running_job_id

ADDRESS_FIELDS = ("to", "cc", "bcc", "reply_to")


# --- Messages as plain data ------------------------------------------------------------------------


def message_to_data(message) -> dict:
    """An EmailMessage as JSON-ready data; attachments as base64 with their file name and type."""
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise TypeError("Queued mail takes attachments as (filename, content, mimetype) only.")
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append([filename, base64.b64encode(raw).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        **{field: [str(a) for a in getattr(message, field)] for field in ADDRESS_FIELDS},
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "alternatives": [[str(c), m] for c, m in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def message_from_data(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        headers=data.get("headers") or {},
        **{field: data.get(field) or [] for field in ADDRESS_FIELDS},
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data.get("attachments", []):
        raw = base64.b64decode(content)
        # Text goes back as text, so that Django encodes it as it would have (a .ics stays readable).
        if mimetype.startswith("text/"):
            with contextlib.suppress(UnicodeDecodeError):
                raw = raw.decode()
        message.attach(filename, raw, mimetype)
    return message


# --- Queueing and delivery ---------------------------------------------------------------------------


class QueueBackend(BaseEmailBackend):
    """Django's mail API, queued: each message becomes one `mail_deliver` job (one INSERT)."""

    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            if message.recipients():
                enqueue("mail_deliver", message=message_to_data(message))
                count += 1
        return count


def message_scrubbed(data: dict) -> dict:
    """A delivered message as the job keeps it: who, when and the subject, without the text.

    The text of a delivered mail is no longer needed, and it may hold a secret: a password-reset link, a
    sign-in code, a confirmation key. Kept, it sat in the job table (and the job admin) for JOBS_KEEP_DAYS.
    """
    return {
        **data,
        "body": "",
        "alternatives": [],
        "attachments": [
            [filename, "", mimetype] for filename, _content, mimetype in data.get("attachments", [])
        ],
        "scrubbed": True,
    }


def mail_scrub(*, job_id: int | None, data: dict) -> None:
    """Replace a delivered job's message with message_scrubbed (the tests' inline runs have no job row)."""
    if job_id is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET args = jsonb_set(args, '{message}', %s::jsonb) WHERE id = %s",
            [json.dumps(message_scrubbed(data)), job_id],
        )


_smtp = threading.local()


def deliver(messages: Iterable) -> None:
    """Hand messages to the real backend (SMTP or files); any failure raises, so the job retries.

    A worker thread keeps its SMTP connection open from one job to the next (a fan-out of a thousand
    mails then opens one, not a thousand); a connection the server has closed meanwhile is opened
    again once. Files and the tests' outbox get a fresh backend each time, as Django's API gives.
    """
    messages = list(messages)
    _message_ids_of_this_job(messages)
    backend = settings.EMAIL_DELIVERY_BACKEND
    if "smtp" not in backend:
        with get_connection(backend, fail_silently=False) as connection:
            connection.send_messages(messages)
        return
    for attempt in (1, 2):
        connection = getattr(_smtp, "connection", None)
        if connection is None:
            connection = _smtp.connection = get_connection(backend, fail_silently=False)
        try:
            connection.open()  # nothing to do while it is open
            connection.send_messages(messages)
            return
        except Exception as error:
            _smtp.connection = None
            with contextlib.suppress(Exception):
                connection.close()
            if attempt == 2 or not isinstance(error, smtplib.SMTPServerDisconnected):
                raise


def _message_ids_of_this_job(messages: list) -> None:
    """Give each message a Message-ID made from its job's id, the same each time the job runs.

    A worker that dies after the SMTP server took a message, but before its job was recorded as done,
    leaves the job to run again: the message goes twice. No queue can close that window; the same
    Message-ID on both copies lets mail systems that drop duplicates drop the second. The domain is the
    site's, not this machine's, so a job run again on another worker keeps it too.
    """
    job_id = running_job_id()
    if job_id is None:
        return
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    for index, message in enumerate(messages):
        if not any(name.lower() == "message-id" for name in message.extra_headers):
            message.extra_headers["Message-ID"] = f"<job-{job_id}.{index}@{domain}>"


def _permanent(error: BaseException) -> bool:
    """A refusal the SMTP server means for good (5xx): retrying the same message cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


class MailRetry(RetryStrategy):
    """RETRY's backoff for outages and 4xx answers; no retry after a permanent refusal."""

    def get_retry_decision(self, *, exception, job):
        if _permanent(exception):
            return None
        return super().get_retry_decision(exception=exception, job=job)


MAIL_RETRY = MailRetry(
    max_attempts=RETRY.max_attempts,
    exponential_wait=RETRY.exponential_wait,
    retry_exceptions=RETRY.retry_exceptions,
)


def mail_task(*, name: str, render: Callable[..., EmailMessage | None]):
    """Register the task ``name``: render one mail from the data as it is when the job runs, deliver it.

    ``render`` takes the job's keyword arguments (ids and strings) and returns the message, or None when
    it no longer applies (the member left, the answer changed); the task then returns False and sends
    nothing. Delivery failures retry as MAIL_RETRY says.
    """

    def render_and_deliver(**kwargs) -> bool:
        message = render(**kwargs)
        if message is None:
            return False
        deliver([message])
        return True

    render_and_deliver.__name__ = render_and_deliver.__qualname__ = name
    render_and_deliver.__doc__ = render.__doc__
    return job(name=name, retry=MAIL_RETRY)(render_and_deliver)


def _digest_pepper() -> str:
    # From SECRET_KEY: a digest kept in the database cannot be turned back into an address by trying
    # every address one knows, without the key too.
    return salted_hmac("otg.jobs.mail.address_digest", "pepper", algorithm="sha256").hexdigest()


def address_digest(address: str) -> str:
    """A one-way digest of an address (trimmed, lower case), the same as _FORGET_WHERE computes in SQL.

    What members.FormerAddress keeps: enough to find mail sent to an address, not the address.
    """
    return hashlib.sha256((_digest_pepper() + address.strip().lower()).encode()).hexdigest()


# Mail to, from or copied to an address: matched in each element as written (LIKE), or by the digest
# of the address inside "Name <address>" (or the whole element), computed as address_digest does.
_FORGET_WHERE = (
    "task_name = 'mail_deliver' AND EXISTS ("
    " SELECT 1 FROM jsonb_array_elements_text("
    "   coalesce(args->'message'->'to', '[]') || coalesce(args->'message'->'cc', '[]')"
    "   || coalesce(args->'message'->'bcc', '[]') || coalesce(args->'message'->'reply_to', '[]')"
    " ) AS recipient(value)"
    " WHERE lower(recipient.value) LIKE ANY (%s)"
    "   OR encode(sha256(convert_to(%s || lower(trim(coalesce("
    "     substring(recipient.value from '<([^<>]*)>'), recipient.value))), 'UTF8')), 'hex') = ANY (%s))"
)
_EMAIL_IN_TEXT = re.compile(r"[^\s<>\"'(),;:\[\]]+@[^\s<>\"'(),;:\[\]]+")


def mail_forget(*, addresses: Iterable[str], digests: Iterable[str] = ()) -> int:
    """Delete every queued and delivered mail to, from or copied to these addresses, or to addresses with
    these digests (a member's former addresses: account deletion).

    A message still waiting (a password reset, say) is then never delivered, and the kept jobs (the
    delivery log) no longer hold the address. A job a worker is running at this moment is not touched.
    The errors kept of any job that name an address go too: a mail about an event holds only ids, but
    the SMTP server's refusal stored beside it (the job kept, failed, for staff) names the address.
    """
    addresses = sorted({a.strip() for a in addresses if a and a.strip()})
    digests = sorted({*digests, *(address_digest(a) for a in addresses)})
    if not digests:
        return 0
    naming = Q()
    for address in addresses:
        naming |= Q(error__icontains=address)
    if naming:
        JobFailure.objects.filter(naming).delete()
    if len(digests) > len(addresses):  # former addresses, known by their digest: read the errors
        wanted = set(digests)
        named = [
            failure.pk
            for failure in JobFailure.objects.filter(error__contains="@").only("pk", "error")
            if any(address_digest(found) in wanted for found in _EMAIL_IN_TEXT.findall(failure.error))
        ]
        JobFailure.objects.filter(pk__in=named).delete()
    # Addresses may be written "Name <address>": match on the address inside each element, any case.
    return jobs_delete(
        where=_FORGET_WHERE,
        params=[[f"%{_escape_like(a.lower())}%" for a in addresses], _digest_pepper(), digests],
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
