"""The open-space board of an unconference: sessions members propose and want, the rooms and slots the
hosts define, and where each session is placed.

Kept apart from events/models.py (which imports these at its end) so that neither file grows past what a
reader can hold; the models refer to the event by its label, so this module imports nothing of it.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from otg.common.caching import GenerationQuerySet
from otg.common.markdown import MAX_LENGTH as MARKDOWN_MAX_LENGTH
from otg.common.markdown import render_markdown

PITCH_MAX_LENGTH = 500


class SessionQuerySet(GenerationQuerySet):
    def shown(self):
        """Sessions anyone may see: those a host has not hidden."""
        return self.filter(hidden_at__isnull=True)

    def by_interest(self):
        return self.order_by("-interest_count", "created_at", "pk")


class Session(models.Model):
    class Format(models.TextChoices):
        DISCUSSION = "discussion", _("Discussion")
        SHOW_AND_TELL = "show_and_tell", _("Show and tell")
        WORKSHOP = "workshop", _("Workshop")
        QUESTION = "question", _("Question")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200)
    pitch = models.TextField(
        _("pitch"),
        max_length=PITCH_MAX_LENGTH,
        # A TextField's max_length binds only its form field; this binds every path through full_clean.
        validators=[MaxLengthValidator(PITCH_MAX_LENGTH)],
        help_text=_("What it is about and who it is for, in at most 500 characters. Markdown."),
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.DISCUSSION)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_sessions",
        verbose_name=_("proposed by"),
    )
    co_proposers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_proposed_sessions",
        verbose_name=_("co-proposers"),
    )
    chatham_house = models.BooleanField(
        _("held under the Chatham House rule"),
        default=False,
        help_text=_("What is said may be used, but nobody who said it is named, not even in the notes."),
    )
    hidden_at = models.DateTimeField(_("hidden by a host"), null=True, blank=True)
    hide_reason = models.TextField(_("why it is hidden"), blank=True, max_length=1000)
    notes = models.TextField(
        _("notes"),
        blank=True,
        max_length=MARKDOWN_MAX_LENGTH,
        validators=[MaxLengthValidator(MARKDOWN_MAX_LENGTH)],
        help_text=_("Markdown."),
    )
    # Kept by events.services.sessions in the same transaction as the interest row it counts.
    interest_count = models.PositiveIntegerField(_("interest"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When its proposers or a host last changed what it is (session_edit): a calendar entry of the
    # session raises its SEQUENCE from this or the placement's moment, whichever is later.
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-interest_count", "created_at", "pk"]
        indexes = [models.Index(fields=["event", "-interest_count"], name="session_event_interest")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:session-detail", kwargs={"slug": self.event.slug, "pk": self.pk})

    @property
    def pitch_html(self):
        return render_markdown(self.pitch, lowest_heading=3)

    @property
    def notes_html(self):
        return render_markdown(self.notes, lowest_heading=3)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def proposer_ids(self) -> set[int]:
        ids = {member.pk for member in self.co_proposers.all()}
        if self.proposer_id:
            ids.add(self.proposer_id)
        return ids


class SessionInterest(models.Model):
    """ "Jag vill vara med": a member wants to take part in a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="interests")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_interests"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("interest in a session")
        verbose_name_plural = _("interest in sessions")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="session_interest_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.session}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class SessionInvite(models.Model):
    """An invitation to propose a session together, sent to an address and accepted from its link."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("co-proposer invitation")
        verbose_name_plural = _("co-proposer invitations")

    def __str__(self) -> str:
        return f"{self.email} · {self.session}"


class Room(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    seats = models.PositiveIntegerField(_("seats"))

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["-seats", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="room_name_once_per_event")]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="slots")
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["starts", "ends", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="slot_ends_after_start"),
            models.UniqueConstraint(fields=["event", "starts", "ends"], name="slot_once_per_event"),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts)
        return f"{start:%H:%M}-{timezone.localtime(self.ends):%H:%M}"

    def overlaps(self, other: "Slot") -> bool:
        return self.starts < other.ends and other.starts < self.ends

    def lies_within(self, event) -> bool:
        """Within the event's times: slot_create holds it when a slot is added, but the event's times may
        change after (the slot is kept, and the hosts' page says so)."""
        return event.start <= self.starts and self.ends <= event.end


class Placement(models.Model):
    """A session in a room at a time. One session per room and slot, held by the database: two hosts
    placing into the same place at once cannot both succeed."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="placement")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="placements")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="placements")
    placed_at = models.DateTimeField(default=timezone.now)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["room", "slot"], name="placement_one_per_room_and_slot")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.room} · {self.slot}"


class Schedule(models.Model):
    """Whether an unconference's schedule is published, and whether it changed since members were told."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="schedule")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Set by a placement's change after publication; cleared when the change is sent to members.
    changed_at = models.DateTimeField(_("changed since members were told"), null=True, blank=True)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
