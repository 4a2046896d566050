"""What passes between an event's hosts and its people: a host's message to the attendees, and the
record of a member writing to the hosts.

Kept apart from events/models.py (which imports these at its end) so that neither file grows past what a
reader can hold; the models name the event by its label, so this module imports nothing of it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from otg.common.normalised import NormalisedTextModel


class EventMessage(NormalisedTextModel):
    """A message a host wrote to the attendees, kept on the event; the daily limit counts these."""

    LINE_FIELDS = ("subject",)
    TEXT_FIELDS = ("body",)

    class Audience(models.TextChoices):
        GOING = "going", _("Those going")
        WAITLISTED = "waitlisted", _("Those on the waitlist")
        BOTH = "both", _("Both those going and those on the waitlist")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    audience = models.CharField(_("to"), max_length=12, choices=Audience.choices)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    recipients = models.PositiveIntegerField(default=0)
    # The host's own choice, per message: replies reach their address, which every recipient then sees.
    reply_to_author = models.BooleanField(_("replies reach the author"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message to attendees")
        verbose_name_plural = _("messages to attendees")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class HostContact(models.Model):
    """A member wrote to an event's hosts through the site. The text went by mail and is not kept:
    the row is what the daily limit counts."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message to the hosts")
        verbose_name_plural = _("messages to the hosts")
        indexes = [models.Index(fields=["sender", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event} ({self.created_at:%Y-%m-%d})"
