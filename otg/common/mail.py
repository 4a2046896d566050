"""Mail that is rendered when it is delivered, not when it is queued.

In production every message is first stored in the database (django-mailer) and the `send_mail`
job delivers it. Rendering a message in the request that queues it (templates, a calendar file,
MIME encoding) cost an RSVP a fifth of its time; a RenderedOnSend message is queued as the name of
a render function and its arguments, and the job renders it. The file and memory backends of
development and the tests render it at once, exactly as before.
"""

from typing import Any

from django.core.mail import EmailMessage
from django.utils.module_loading import import_string
from mailer.backend import DbBackend
from mailer.models import Message


class RenderedOnSend(EmailMessage):
    """A message whose subject, body, attachments and address come from ``render`` at delivery.

    ``render`` (a dotted path) is called with ``render_kwargs`` and returns a dict with ``to``,
    ``subject``, ``body`` and optionally ``attachments`` (tuples for attach()), or None when the
    message should no longer go out: its member or event is gone, say. ``objects`` may hold the
    model instances the function would otherwise load again; they are not queued. ``subject`` is
    what the queue shows until the message is rendered.
    """

    def __init__(
        self,
        *,
        to: list[str],
        render: str,
        render_kwargs: dict[str, Any],
        objects: dict | None = None,
        subject: str = "",
    ):
        super().__init__(to=to, subject=subject)
        self.render = render
        self.render_kwargs = render_kwargs
        self.objects = objects or {}
        self.rendered = False

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["objects"] = {}
        return state

    def _render(self) -> None:
        if self.rendered:
            return
        self.rendered = True
        content = import_string(self.render)(**self.render_kwargs, **self.objects)
        if content is None:
            self.to = []
            return
        self.to = content["to"]
        self.subject = content["subject"]
        self.body = content["body"]
        for attachment in content.get("attachments", ()):
            self.attach(*attachment)

    def recipients(self) -> list[str]:
        self._render()
        return super().recipients()

    def message(self, *args, **kwargs):
        self._render()
        return super().message(*args, **kwargs)

    def send(self, fail_silently: bool = False) -> int:
        # EmailMessage.send() asks for the recipients first, which would render here; the backend
        # renders when it delivers (or, queueing, never: it only stores this object).
        return self.get_connection(fail_silently).send_messages([self])


class QueueBackend(DbBackend):
    """django-mailer's queue, with one INSERT for one message.

    DbBackend stores every batch with bulk_create, which wraps even a single row in its own
    transaction: BEGIN, INSERT, COMMIT, three round trips for each confirmation an RSVP sends.
    """

    def send_messages(self, email_messages) -> int:
        if len(email_messages) != 1:
            return super().send_messages(email_messages)
        Message.objects.create(email=email_messages[0])
        return 1
