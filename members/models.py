from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from otg.common.caching import GenerationQuerySet
from otg.common.normalised import NormalisedTextModel
from otg.common.search_fields import (
    WithoutSearchColumnsMixin,
    search_indexes,
    search_text_field,
    search_vector_field,
)
from otg.common.tags import TaggableManager

# A profile anyone may see: its member chose to show it, and the account is active.
PUBLIC_PROFILE = Q(is_active=True, is_public=True)
# What members/member_detail.html shows of a profile.
PROFILE_PAGE_FIELDS = (
    "name",
    "pronouns",
    "bio",
    "show_work",
    "work_description",
    "is_public",
    "portrait_large",
)


class MemberQuerySet(GenerationQuerySet):
    def public(self):
        """Members who chose to show their profile; the only ones anyone else may see."""
        return self.filter(PUBLIC_PROFILE)

    def with_public_profile(self):
        """Each member with ``has_public_profile``: whether ``public()`` holds them, so that a page links
        a name to a profile only when anyone may open it (an inactive account's is nobody's). Read from
        the row's own columns: a subquery per row asking ``public()`` cost a cold event page more CPU
        than its attendee list."""
        return self.annotate(has_public_profile=PUBLIC_PROFILE)

    def shown_on_profile(self):
        """Only the columns the profile page shows (and its primary key): a first render of the page
        neither builds nor reads the account's other columns (password hash, email address, dates)."""
        return self.only(*PROFILE_PAGE_FIELDS)

    def with_interests(self):
        """Interests loaded for a list as ``interest_list``: one query, no queryset built per member."""
        return self.prefetch_related(models.Prefetch("interests", to_attr="interest_list"))


class MemberManager(WithoutSearchColumnsMixin, BaseUserManager.from_queryset(MemberQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        member = self.model(email=self.normalize_email(email).lower(), **extra)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class Member(NormalisedTextModel, AbstractBaseUser, PermissionsMixin):
    """A person. Members join as individuals: nothing here names an organisation."""

    NAME_FIELDS = ("name",)
    LINE_FIELDS = ("pronouns", "work_description")
    TEXT_FIELDS = ("bio",)
    EMAIL_FIELDS = ("email",)

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    bio = models.TextField(_("short bio"), max_length=600, blank=True)
    work_description = models.CharField(_("what I work with"), max_length=200, blank=True)
    show_work = models.BooleanField(_("show what I work with on my profile"), default=False)
    interests = TaggableManager(_("interests"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    is_public = models.BooleanField(_("public profile"), default=False)
    # The re-encoded upload and its two squares, made once when the portrait is set (members.services).
    portrait = models.ImageField(_("portrait"), upload_to="portraits/", blank=True)
    portrait_small = models.ImageField(_("portrait, 96 px square"), upload_to="portraits/", blank=True)
    portrait_large = models.ImageField(_("portrait, 400 px square"), upload_to="portraits/", blank=True)
    principles_version = models.CharField(_("principles version accepted"), max_length=20, blank=True)
    principles_accepted_at = models.DateTimeField(_("principles accepted at"), null=True, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # When what others can see of the member last changed: cached pages that show members key on it.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # For the site search (otg.site.search), kept current by PostgreSQL. What the member works with stays
    # out: it is shown only by choice (show_work), and a generated column cannot follow that choice.
    search_vector = search_vector_field(("name", "A"), ("bio", "B"))
    search_text = search_text_field("name", "bio")

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="member_email_ci_unique"),
        ]
        indexes = [
            *search_indexes("member"),
            # The directory: public members by name, one index scan for the page, and an index-only
            # scan for its version (how many, latest change).
            models.Index(
                fields=["name", "id"],
                include=["updated_at"],
                name="member_directory",
                condition=Q(is_active=True, is_public=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_absolute_url(self) -> str:
        return reverse("members:member-detail", kwargs={"pk": self.pk})

    def portrait_files(self) -> list:
        """The stored portrait files that exist, the original first."""
        return [f for f in (self.portrait, self.portrait_small, self.portrait_large) if f]

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class FormerAddress(models.Model):
    """An address the member had and no longer has, kept as a digest only (otg.jobs.mail.address_digest).

    Mail sent to it stays in the job table for a while (JOBS_KEEP_DAYS; failed mail until staff act):
    the account's deletion must reach that mail too, and a digest is all it needs to find it.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="former_addresses")
    digest = models.CharField(max_length=64)
    removed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        constraints = [models.UniqueConstraint(fields=["member", "digest"], name="former_address_once")]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.digest[:12]}"
