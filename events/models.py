import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Lower, Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from otg.common.caching import GenerationQuerySet
from otg.common.markdown import MAX_LENGTH as MARKDOWN_MAX_LENGTH
from otg.common.markdown import render_markdown
from otg.common.normalised import NormalisedTextModel
from otg.common.search_fields import (
    WithoutSearchColumnsMixin,
    search_indexes,
    search_text_field,
    search_vector_field,
)
from otg.common.tags import TaggableManager

# Paths under /evenemang/ that are pages of their own (events/urls.py): an event slug would be hidden.
RESERVED_SLUGS = {
    "tidigare",
    "mina",
    "kalender",
    "folj",
    "avregistrera",
    "foresla",
    "granskning",
    "medvard",
    "serie",
}


class EventQuerySet(GenerationQuerySet):
    def visible(self):
        """Published and cancelled events: a cancelled event stays visible, clearly marked."""
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def upcoming(self, now=None):
        return self.visible().filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        return self.visible().filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def for_calendar(self, now=None):
        """The public feed: published events that have not ended (with their series, for RELATED-TO)."""
        return (
            self.upcoming(now)
            .filter(status=Event.Status.PUBLISHED)
            .select_related("series")
            .order_by("start")
        )

    def cities(self) -> list[str]:
        """The cities these events take place in, once each, in order: the choices of a filter."""
        return list(self.exclude(city="").order_by("city").values_list("city", flat=True).distinct())

    def organised_by(self, member):
        return self.filter(organisers=member)

    def awaiting_review(self):
        """Proposals to review; a series waits as its first date still waiting only (a date its host
        cancelled meanwhile does not stand for it), and is decided as a whole."""
        first_of_series = (
            Event.objects.filter(series=models.OuterRef("series"), status=Event.Status.PENDING)
            .order_by("start", "pk")
            .values("pk")[:1]
        )
        # How many dates an approval publishes (the queue says so): a cancelled one, or one that has
        # passed (series_approve declines it), is not among them.
        waiting = (
            Event.objects.filter(
                series=models.OuterRef("series"), status=Event.Status.PENDING, start__gt=Now()
            )
            .order_by()
            .values("series")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return (
            self.filter(status=Event.Status.PENDING)
            .filter(Q(series__isnull=True) | Q(pk=models.Subquery(first_of_series)))
            .annotate(series_waiting=models.Subquery(waiting))
            .select_related("series")
            .order_by("created_at", "pk")
        )

    def proposed_since(self, member, since):
        """A member's proposals made since ``since``, one row each: what the daily limit counts.

        A series is one proposal however many dates it has, so it is counted by its first date only
        (its dates are made together, at one ``created_at``)."""
        first_of_series = (
            Event.objects.filter(series=models.OuterRef("series")).order_by("start", "pk").values("pk")[:1]
        )
        return self.filter(proposed_by=member, created_at__gte=since).filter(
            Q(series__isnull=True) | Q(pk=models.Subquery(first_of_series))
        )


class EventManager(WithoutSearchColumnsMixin, models.Manager.from_queryset(EventQuerySet)):
    pass


class Event(NormalisedTextModel):
    NAME_FIELDS = ("title",)
    LINE_FIELDS = ("summary", "venue_name", "address", "city", "cover_alt")
    TEXT_FIELDS = ("description", "review_message", "cancel_message")

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        MEETUP = "meetup", _("Meetup")
        BREAKFAST = "breakfast", _("Breakfast meeting")
        UNCONFERENCE = "unconference", _("Unconference")
        WORKSHOP = "workshop", _("Workshop")
        WEBINAR = "webinar", _("Webinar")

    class Format(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # A member's proposal waiting for staff or an organiser; declined ones can be edited and sent again.
        PENDING = "pending", _("Awaiting review")
        DECLINED = "declined", _("Declined")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    # Changes to these fields are news to attendees: SEQUENCE rises and they are told by email.
    SIGNIFICANT_FIELDS = ("start", "end", "format", "venue_name", "address", "city", "online_url")
    # What a moderator approved and visitors read, and where attendees are sent: once the event is
    # public, a host who is not trusted changes these only through a moderator (EventChange).
    REVIEWED_FIELDS = ("title", "summary", "description", "online_url")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETUP)
    summary = models.CharField(_("short summary"), max_length=300)
    description = models.TextField(
        _("description"), blank=True, max_length=MARKDOWN_MAX_LENGTH, help_text=_("Markdown.")
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.ON_SITE)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, db_index=True)
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to confirmed attendees, shortly before the start."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    rsvp_opens_at = models.DateTimeField(_("RSVP opens"), null=True, blank=True)
    rsvp_closes_at = models.DateTimeField(_("RSVP closes"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisers"), blank=True, related_name="organised_events"
    )
    tags = TaggableManager(_("tags"), blank=True)
    cover_image = models.ImageField(_("cover image"), upload_to="events/", blank=True)
    cover_alt = models.CharField(_("cover image text alternative"), max_length=300, blank=True)
    website = models.URLField(_("external website"), blank=True)
    # Set when a member proposed the event from the site (events.services.hosting.event_propose).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_events",
        verbose_name=_("proposed by"),
    )
    # A date of a recurring meetup: its own event, RSVPs and capacity; the series is reviewed once.
    series = models.ForeignKey(
        "events.EventSeries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dates",
        verbose_name=_("series"),
    )
    review_message = models.TextField(_("message from the reviewer"), blank=True)
    cancel_message = models.TextField(_("message about the cancellation"), blank=True)
    # Kept under the event row's lock by events.services; never counted per request.
    going_count = models.PositiveIntegerField(_("going"), default=0, editable=False)
    waitlist_count = models.PositiveIntegerField(_("waitlisted"), default=0, editable=False)
    # "Kanske": kept like going_count, under the event row's lock; a maybe takes no place.
    maybe_count = models.PositiveIntegerField(_("maybe"), default=0, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # For the site search (otg.site.search), kept current by PostgreSQL whenever the row changes.
    search_vector = search_vector_field(
        ("title", "A"), ("summary", "B"), ("description", "C"), ("city", "D"), ("venue_name", "D")
    )
    search_text = search_text_field("title", "summary", "description", "city", "venue_name")

    objects = EventManager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start", "pk"]
        permissions = [
            ("moderate_event", _("Can approve or decline events proposed by members")),
            ("publish_without_review", _("Trusted host: proposed events publish at once")),
        ]
        indexes = [
            # Lists by status and time; updated_at rides along so the search's version of all
            # visible events (count, latest change) is an index-only scan.
            models.Index(
                fields=["status", "end", "start"], include=["updated_at"], name="event_status_end_start"
            ),
            *search_indexes("event"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(going_count__lte=F("capacity")),
                name="event_going_within_capacity",
            ),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(cover_image="") | ~Q(cover_alt=""), name="event_cover_has_alt_text"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    @property
    def description_html(self):
        return render_markdown(self.description)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def online_link_open(self, now) -> bool:
        """Whether the link to join online is shown now (to those going): from EVENT_ONLINE_LINK_LEAD
        before the start until the end, on the event page and under My events."""
        return bool(
            self.online_url
            and not self.is_cancelled
            and self.start - settings.EVENT_ONLINE_LINK_LEAD <= now <= self.end
        )

    @property
    def offers_maybe(self) -> bool:
        """Meetups (and breakfast meetings, meetups in the morning) take "kanske" as an answer."""
        return self.kind in (self.Kind.MEETUP, self.Kind.BREAKFAST)

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.going_count, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.going_count >= self.capacity

    @property
    def map_query(self) -> str:
        return ", ".join(part for part in (self.address, self.city) if part)

    def rsvp_closed_reason(self, now=None) -> str:
        """Why a member cannot RSVP now, or "" when they can."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return str(_("The event is cancelled."))
        if self.status != self.Status.PUBLISHED:
            return str(_("The event is not published."))
        if now >= self.start:
            return str(_("The event has started."))
        if self.rsvp_opens_at and now < self.rsvp_opens_at:
            return str(_("RSVP has not opened yet."))
        if self.rsvp_closes_at and now >= self.rsvp_closes_at:
            return str(_("RSVP has closed."))
        return ""


class RsvpQuerySet(GenerationQuerySet):
    def active(self):
        """Every standing answer: going, waiting for a place, or maybe (which takes no place)."""
        return self.filter(status__in=Rsvp.ACTIVE_STATUSES)

    def maybe(self):
        return self.filter(status=Rsvp.Status.MAYBE)

    def going(self):
        return self.filter(status=Rsvp.Status.GOING)

    def waitlisted(self):
        return self.filter(status=Rsvp.Status.WAITLISTED).order_by("created_at", "pk")

    def with_waitlist_position(self):
        earlier = Rsvp.objects.filter(event=models.OuterRef("event"), status=Rsvp.Status.WAITLISTED).filter(
            Q(created_at__lt=models.OuterRef("created_at"))
            | Q(created_at=models.OuterRef("created_at"), pk__lt=models.OuterRef("pk"))
        )
        count = earlier.order_by().values("event").annotate(n=models.Count("pk")).values("n")[:1]
        return self.annotate(waitlist_position=Coalesce(models.Subquery(count), 0) + 1)


class Rsvp(NormalisedTextModel):
    TEXT_FIELDS = ("accessibility_needs", "dietary_needs")

    class Status(models.TextChoices):
        GOING = "going", _("Going")
        WAITLISTED = "waitlisted", _("Waitlisted")
        MAYBE = "maybe", _("Maybe")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE_STATUSES = ("going", "waitlisted", "maybe")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("event"))
    # Null once the member's account is deleted: a past headcount stays right, nobody is named.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rsvps",
        verbose_name=_("member"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    show_publicly = models.BooleanField(_("others may see that I come"), default=False)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True, max_length=1000)
    dietary_needs = models.TextField(_("dietary needs"), blank=True, max_length=1000)
    needs_erased_at = models.DateTimeField(_("needs erased"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted from the waitlist"), null=True, blank=True)
    # The day-before "places are left, will you come?" to a maybe: once per answer.
    maybe_invited_at = models.DateTimeField(_("invited to come"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # A host took the place away (code of conduct); the member cannot answer again for this event.
    removed_at = models.DateTimeField(_("removed by a host"), null=True, blank=True)
    # Recorded at the door; kept after the event (the needs are erased on schedule, this is not).
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RsvpQuerySet.as_manager()

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"],
                condition=Q(status__in=["going", "waitlisted", "maybe"]),
                name="rsvp_one_active_per_member",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="rsvp_event_status_created")]

    def __str__(self) -> str:
        return f"{self.member or '-'} · {self.event} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a member's private calendar feed URL; replaced (revoked) on request."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self) -> str:
        return f"{self.member}"

    def get_absolute_url(self) -> str:
        return reverse("events:member-feed", kwargs={"token": self.token})


class FollowQuerySet(models.QuerySet):
    def of_topics(self, tag_ids):
        """The follows of any of these topics (tag ids): what else carries a topic (an interview) asks."""
        return self.filter(kind=Follow.Kind.TOPIC, tag_id__in=tag_ids)

    def matching(self, event: "Event"):
        """The follows an event answers to: one of its topics, or its city (in any letter case)."""
        condition = Q(kind=Follow.Kind.TOPIC, tag__in=event.tags.all())
        if event.city:
            condition |= Q(kind=Follow.Kind.CITY, city__iexact=event.city)
        if event.series_id:
            condition |= Q(kind=Follow.Kind.SERIES, series_id=event.series_id)
        return self.filter(condition)


class Follow(NormalisedTextModel):
    """A member's explicit wish to hear about new events on a topic or in a city."""

    LINE_FIELDS = ("city",)

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Topic")
        CITY = "city", _("City")
        SERIES = "series", _("Series")

    class Frequency(models.TextChoices):
        AT_ONCE = "at_once", _("At once")
        WEEKLY = "weekly", _("Weekly digest")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("member")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    tag = models.ForeignKey(
        "taggit.Tag",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    series = models.ForeignKey(
        "events.EventSeries",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        verbose_name=_("series"),
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.AT_ONCE
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["kind", "city", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="topic", tag__isnull=False, city="", series__isnull=True))
                | (Q(kind="city", tag__isnull=True, series__isnull=True) & ~Q(city=""))
                | Q(kind="series", tag__isnull=True, city="", series__isnull=False),
                name="follow_topic_city_or_series",
            ),
            models.UniqueConstraint(
                fields=["member", "tag"], condition=Q(kind="topic"), name="follow_one_per_member_topic"
            ),
            models.UniqueConstraint(
                fields=["member", "series"], condition=Q(kind="series"), name="follow_one_per_member_series"
            ),
            models.UniqueConstraint(
                "member",
                models.functions.Lower("city"),
                condition=Q(kind="city"),
                name="follow_one_per_member_city",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.target}"

    @property
    def target(self) -> str:
        if self.kind == self.Kind.SERIES:
            return self.series.title
        return self.tag.name if self.kind == self.Kind.TOPIC else self.city


class FollowNotification(models.Model):
    """That a member was told of an event because of their follows: at most once per member and event.

    Written before the mail is queued (INSERT … ON CONFLICT DO NOTHING), so a retried or doubled
    fan-out job finds the row and sends nothing more.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follow_notifications",
        verbose_name=_("member"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="follow_notifications", verbose_name=_("event")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("follow notification")
        verbose_name_plural = _("follow notifications")
        constraints = [
            models.UniqueConstraint(fields=["member", "event"], name="follow_notification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.event}"


class CohostInviteQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor replaced by a newer invitation to the same address (expired or not)."""
        return self.filter(accepted_at__isnull=True, replaced_at__isnull=True)

    def pending(self, now=None):
        """Open and not expired: what the host sees as waiting, and the only ones that can be accepted."""
        now = now or timezone.now()
        return self.open().filter(created_at__gt=now - settings.COHOST_INVITE_VALID)


class CohostInvite(NormalisedTextModel):
    """An invitation to host an event together, sent to an email address and accepted from its link by
    the member who has that address verified (events.services.hosting.cohost_accept)."""

    EMAIL_FIELDS = ("email",)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="cohost_invites")
    # NFC and lower case (cohost_invite): compared as allauth stores addresses.
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # A newer invitation to the same address was sent: this link no longer works. The row stays, so
    # the daily limit still counts the mail it sent.
    replaced_at = models.DateTimeField(null=True, blank=True)

    objects = CohostInviteQuerySet.as_manager()

    class Meta:
        verbose_name = _("co-host invitation")
        verbose_name_plural = _("co-host invitations")
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, replaced_at__isnull=True),
                name="cohost_invite_one_open_per_address",
            ),
        ]
        indexes = [models.Index(fields=["event", "created_at"], name="cohost_invite_event_created")]

    def __str__(self) -> str:
        return f"{self.email} · {self.event}"

    @property
    def expires_at(self):
        return self.created_at + settings.COHOST_INVITE_VALID


class EventReportQuerySet(models.QuerySet):
    def open(self):
        """Reports nobody has marked handled yet, the oldest first: what waits for staff."""
        return self.filter(handled_at__isnull=True).order_by("created_at", "pk")


class EventReport(NormalisedTextModel):
    """A member tells staff that something about an event is wrong."""

    TEXT_FIELDS = ("reason",)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("what is wrong"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    objects = EventReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("event report")
        verbose_name_plural = _("event reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Every report mails every staff member: one open report per member and event.
            models.UniqueConstraint(
                fields=["event", "reporter"],
                condition=Q(handled_at__isnull=True),
                name="event_report_one_open_per_member",
            ),
        ]
        indexes = [models.Index(fields=["reporter", "created_at"], name="event_report_reporter_created")]

    def __str__(self) -> str:
        return f"{self.event} ({self.created_at:%Y-%m-%d})"


class EventChange(models.Model):
    """A host's change to a public event's text or online link, waiting for a moderator.

    Until it is approved the event keeps the version that was approved (events.services.hosting:
    event_host_save, event_change_approve, event_change_decline); one waits per event, the newest.
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="pending_change")
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("short summary"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=MARKDOWN_MAX_LENGTH)
    online_url = models.URLField(_("online link"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("change waiting for review")
        verbose_name_plural = _("changes waiting for review")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.event} ({self.created_at:%Y-%m-%d})"

    def differences(self) -> list[tuple[str, str, str]]:
        """(field label, approved, proposed) for each reviewed field this change alters."""
        return [
            (str(Event._meta.get_field(name).verbose_name), getattr(self.event, name), getattr(self, name))
            for name in Event.REVIEWED_FIELDS
            if getattr(self.event, name) != getattr(self, name)
        ]


# Hosts' messages, a series and the unconference board's models live in their own modules; imported
# here so that Django finds them, and so that `from events.models import EventSeries` reads as before.
from events.message_models import EventMessage, HostContact  # noqa: E402, F401
from events.series_models import EventSeries  # noqa: E402, F401
from events.session_models import (  # noqa: E402, F401
    Placement,
    Room,
    Schedule,
    Session,
    SessionInterest,
    SessionInvite,
    Slot,
)
