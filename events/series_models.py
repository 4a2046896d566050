"""A meetup that recurs: the series a host proposes once, whose dates are each their own Event.

Kept apart from events/models.py (which imports it at its end) so that neither file grows past what a
reader can hold; Event names it by its label ("events.EventSeries"), so this module imports nothing of it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from otg.common.caching import GenerationQuerySet
from otg.common.normalised import NormalisedTextModel


class EventSeries(NormalisedTextModel):
    """A meetup that recurs: approved once, each date its own Event (events.services.series)."""

    NAME_FIELDS = ("title",)  # its page's heading and the link on each date's page, as an event's title

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("The same weekday of every month (e.g. the first Tuesday)")
        WEEKLY = "weekly", _("Every week, or every few weeks")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        DECLINED = "declined", _("Declined")
        PUBLISHED = "published", _("Published")

    MAX_DATES = 12

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices)
    # Weeks between dates (weekly only); the monthly rule reads its weekday and week from the first date.
    interval = models.PositiveSmallIntegerField(_("weeks between dates"), default=1)
    # Which weekday of the month: 1 to 4, or -1 for the last (a first date on the 29th to 31st).
    month_week = models.SmallIntegerField(default=1)
    weekday = models.PositiveSmallIntegerField(default=0)  # Monday 0, as datetime.weekday()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_series",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")
        constraints = [
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=8), name="series_interval_one_to_eight_weeks"
            ),
            models.CheckConstraint(
                condition=Q(month_week__in=[1, 2, 3, 4, -1]), name="series_month_week_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:series-detail", kwargs={"slug": self.slug})

    @property
    def calendar_uid(self) -> str:
        """What each date's RELATED-TO names (events.calendars)."""
        return f"series-{self.uid}@onegov.se"
