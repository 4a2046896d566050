from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from otg.common.caching import GenerationQuerySet
from otg.common.markdown import MAX_LENGTH as MARKDOWN_MAX_LENGTH
from otg.common.normalised import NormalisedTextModel
from otg.common.search_fields import (
    SEARCH_COLUMNS,
    WithoutSearchColumnsMixin,
    search_indexes,
    search_text_field,
    search_vector_field,
)
from otg.common.tags import TaggableManager

PORTRAIT_SQUARE = 600
PORTRAIT_THUMB = 160


class InterviewQuerySet(GenerationQuerySet):
    def published(self):
        """Interviews anyone may read: published, with a publication time that has come.

        Compared with the database's clock at query time, so a scheduled interview becomes public by
        itself the moment its time arrives, without any job.
        """
        return self.filter(status=Interview.Status.PUBLISHED, published_at__lte=Now())

    def with_tags(self):
        """Tags loaded for a list as ``tag_list``: one query, and no queryset built per interview."""
        return self.prefetch_related(models.Prefetch("tags", to_attr="tag_list"))

    def with_related_events_flag(self):
        """``has_related_events``: whether any event is linked at all, read with the interview, so a
        page without any (most of them) does not build and send a query for its events."""
        links = Interview.related_events.through.objects.filter(interview_id=models.OuterRef("pk"))
        return self.annotate(has_related_events=models.Exists(links))

    def scheduled(self):
        """Published interviews whose time has not come yet: not public, and never shown as such."""
        return self.filter(status=Interview.Status.PUBLISHED).exclude(
            pk__in=Interview.objects.published().values("pk")
        )

    def newest_first(self):
        return self.order_by("-published_at", "-pk")


class InterviewManager(WithoutSearchColumnsMixin, models.Manager.from_queryset(InterviewQuerySet)):
    # The denormalised answers are read only by the search, too.
    deferred_columns = (*SEARCH_COLUMNS, "body_text")


class Interview(NormalisedTextModel):
    NAME_FIELDS = ("title", "interviewee_name")
    LINE_FIELDS = ("interviewee_description", "portrait_alt")
    TEXT_FIELDS = ("introduction", "closing_text")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    introduction = models.TextField(
        _("introduction"), blank=True, max_length=MARKDOWN_MAX_LENGTH, help_text=_("Markdown.")
    )
    interviewee_name = models.CharField(_("interviewee's name"), max_length=150)
    interviewee_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewee's member profile"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews_given",
    )
    interviewee_description = models.CharField(
        _("about the interviewee"),
        max_length=200,
        blank=True,
        help_text=_("One line, for example: one of the initiators of One Team Gov in Sweden."),
    )
    portrait = models.ImageField(_("portrait"), upload_to="interviews/portraits/", blank=True)
    portrait_alt = models.CharField(
        _("portrait alt text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the picture for those who cannot see it. Required with a portrait."),
    )
    # Made once from the portrait when it is set (services.interview_portrait_set), never per request.
    portrait_square = models.ImageField(upload_to="interviews/portraits/", blank=True, editable=False)
    portrait_thumb = models.ImageField(upload_to="interviews/portraits/", blank=True, editable=False)
    closing_text = models.TextField(
        _("closing text"), blank=True, max_length=MARKDOWN_MAX_LENGTH, help_text=_("Markdown.")
    )
    tags = TaggableManager(_("tags"), blank=True)
    related_events = models.ManyToManyField(
        "events.Event",
        verbose_name=_("related events"),
        blank=True,
        related_name="interviews",
        help_text=_("Where readers can meet the interviewee, for example a conference where they speak."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews_written",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("A published interview with a time in the future is scheduled: it appears then."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The questions, answers and closing text in one column, so that PostgreSQL can keep the search
    # columns below current. Written by services.interview_body_refresh (admin, import); a bulk
    # insert must fill it itself.
    body_text = models.TextField(_("text for search"), blank=True, editable=False)
    search_vector = search_vector_field(
        ("title", "A"), ("interviewee_name", "B"), ("introduction", "B"), ("body_text", "C")
    )
    search_text = search_text_field("title", "interviewee_name", "introduction", "body_text")

    objects = InterviewManager()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="interview_published_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(portrait="") | ~models.Q(portrait_alt=""),
                name="interview_portrait_has_alt",
            ),
        ]
        indexes = [
            # Covers the published list and its version (count, latest change) in an index-only scan.
            models.Index(
                fields=["status", "published_at"], include=["updated_at"], name="interview_status_pub_idx"
            ),
            *search_indexes("interview"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("interviews:interview-detail", kwargs={"slug": self.slug})

    def publication_words(self: "Interview | None") -> str:
        """Whether and when the interview is public, in words: "Publicerad 3 december 10.15", "Utkast".

        Also callable on None (a form for a new interview): "Utkast".
        """
        if self is None or self.pk is None or self.status != Interview.Status.PUBLISHED:
            return str(_("Draft"))
        local = timezone.localtime(self.published_at)
        when = date_format(local, "j F H.i" if local.year == timezone.localtime().year else "j F Y H.i")
        if self.published_at <= timezone.now():
            return _("Published %(time)s") % {"time": when}
        return _("Scheduled for %(time)s") % {"time": when}


class Question(NormalisedTextModel):
    TEXT_FIELDS = ("question", "answer")

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    question = models.TextField(_("question"), max_length=1000, help_text=_("Plain text."))
    answer = models.TextField(_("answer"), max_length=MARKDOWN_MAX_LENGTH, help_text=_("Markdown."))

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.question[:80]


class ImportUpload(models.Model):
    """A document an editor chose on the import page, kept until the draft is made.

    The review step and a form error then carry its name and what it held on, so the file need not be
    chosen again. Kept a day at most (services.import_upload_store removes older ones).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("file name"), max_length=255)
    text = models.TextField(_("text"))
    left_out = models.JSONField(_("left out"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded document")
        verbose_name_plural = _("uploaded documents")

    def __str__(self) -> str:
        return self.name


class InterviewFollowNotification(models.Model):
    """That a member was told of an interview because they follow one of its topics: at most once.

    Written before the mail is queued (INSERT ... ON CONFLICT DO NOTHING), at once or in the weekly
    digest, so a retried fan-out, a second digest or a topic followed both ways sends nothing more.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="interview_follow_notifications",
        verbose_name=_("member"),
    )
    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="follow_notifications", verbose_name=_("interview")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("interview follow notification")
        verbose_name_plural = _("interview follow notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "interview"], name="interview_follow_notification_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.interview_id}"
