"""Every write to interviews that carries a rule: publishing, portraits, importing plain text."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.models import Follow
from events.services.follows import follow_mail_message, follow_unsubscribe_token
from events.services.mail import site_url
from interviews.models import (
    PORTRAIT_SQUARE,
    PORTRAIT_THUMB,
    ImportUpload,
    Interview,
    InterviewFollowNotification,
    Question,
)
from interviews.parsing import Document, parse_interview
from members.models import Member
from otg.common.files import file_save, files_atomic, files_delete_on_commit, stored_files
from otg.common.images import clean_image
from otg.jobs.queue import enqueue, enqueue_many


@transaction.atomic
def interview_publish(*, interview: Interview, at: datetime | None = None) -> Interview:
    """Publish now, or schedule for ``at``: the interview becomes public by itself when that time comes."""
    now = timezone.now()
    interview.status = Interview.Status.PUBLISHED
    interview.published_at = at or now
    interview.save(update_fields=["status", "published_at", "updated_at"])
    if interview.published_at <= now:
        # Queued with the publication, as an event's fan-out is; a scheduled interview's followers are
        # told when its time comes (interview_followers_notify_due, every few minutes on the workers).
        enqueue("interview_followers_notify", interview_id=interview.pk)
    return interview


@transaction.atomic
def interview_unpublish(*, interview: Interview) -> Interview:
    interview.status = Interview.Status.DRAFT
    interview.published_at = None
    interview.save(update_fields=["status", "published_at", "updated_at"])
    return interview


@transaction.atomic
def interview_questions_order(*, interview: Interview, questions: list[Question]) -> None:
    """Number an interview's questions 1, 2, 3… in the order given (where they stand on the form)."""
    changed = []
    for position, question in enumerate(questions, start=1):
        if question.interview_id != interview.pk:
            raise ValueError("A question of another interview.")
        if question.order != position:
            question.order = position
            changed.append(question)
    Question.objects.bulk_update(changed, ["order"])  # retires "interviews" (GenerationQuerySet)


def interview_body_text(*, interview: Interview) -> str:
    """The questions, answers and closing text as one text, what Interview.body_text holds."""
    parts = []
    for question in interview.questions.all():
        parts += [question.question, question.answer]
    parts.append(interview.closing_text)
    return "\n\n".join(part for part in parts if part)


@transaction.atomic
def interview_body_refresh(*, interview: Interview) -> Interview:
    """Copy the questions and answers into body_text, from which PostgreSQL builds the search columns.

    Call after every change to an interview's questions (the admin and the import do).
    """
    interview.body_text = interview_body_text(interview=interview)
    interview.updated_at = timezone.now()
    # update() sends no post_save; the QuerySet retires the search results cached on the old text.
    Interview.objects.filter(pk=interview.pk).update(
        body_text=interview.body_text, updated_at=interview.updated_at
    )
    return interview


PORTRAIT_FIELDS = ["portrait", "portrait_square", "portrait_thumb", "portrait_alt", "updated_at"]


def _portrait_files(interview: Interview) -> list:
    return [f for f in (interview.portrait, interview.portrait_square, interview.portrait_thumb) if f]


@files_atomic()
def interview_portrait_set(*, interview: Interview, upload, alt: str) -> Interview:
    """Store a clean copy of the upload and its squares, made once; the old files go after commit.

    The one way an interview portrait reaches storage (the admin and the demo content call it). New
    files are removed again if the transaction rolls back. Raises ValidationError when the upload is
    not an acceptable image, ValueError without alt text.
    """
    if not alt.strip():
        raise ValueError("A portrait needs alt text.")
    image = clean_image(upload)
    files_delete_on_commit(_portrait_files(interview))  # the names as they are now
    interview.portrait_alt = alt.strip()
    for field, content in (
        (interview.portrait, image.file()),
        (interview.portrait_square, image.square(PORTRAIT_SQUARE)),
        (interview.portrait_thumb, image.square(PORTRAIT_THUMB)),
    ):
        file_save(field, content)
    interview.save(update_fields=PORTRAIT_FIELDS)
    return interview


@files_atomic()
def interview_portrait_clear(*, interview: Interview) -> Interview:
    # The stored names, not the instance's: a form may have emptied the field in memory already.
    files_delete_on_commit(stored_files(interview, "portrait", "portrait_square", "portrait_thumb"))
    interview.portrait = interview.portrait_square = interview.portrait_thumb = ""
    interview.portrait_alt = ""
    interview.save(update_fields=PORTRAIT_FIELDS)
    return interview


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "intervju"
    slug, n = base, 2
    while Interview.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def interview_import_text(
    *,
    text: str,
    interviewee_name: str,
    title: str = "",
    slug: str = "",
    author: Member | None = None,
) -> Interview:
    """Create a draft interview from plain text (see interviews.parsing for the rules).

    Raises interviews.parsing.InterviewParseError when the text holds no question.
    """
    parsed = parse_interview(text)
    interviewee_name = interviewee_name.strip() or parsed.name
    if not interviewee_name:
        raise ValueError("An interview needs the interviewee's name.")
    title = title.strip() or parsed.title or f"Intervju med {interviewee_name}"
    interview = Interview.objects.create(
        title=title,
        slug=slug or _unique_slug(title),
        introduction=parsed.introduction,
        interviewee_name=interviewee_name,
        closing_text=parsed.closing,
        author=author,
    )
    Question.objects.bulk_create(
        Question(interview=interview, order=n, question=pair.question, answer=pair.answer)
        for n, pair in enumerate(parsed.pairs, start=1)
    )
    return interview_body_refresh(interview=interview)


# An uploaded document waits this long for its draft; an editor who left it starts again.
IMPORT_UPLOAD_KEPT = timedelta(days=1)


@transaction.atomic
def import_upload_store(*, owner: Member, name: str, document: Document) -> ImportUpload:
    """Keep a document read on the import page, so a form error or the review need not ask for it again."""
    ImportUpload.objects.filter(created_at__lt=timezone.now() - IMPORT_UPLOAD_KEPT).delete()
    return ImportUpload.objects.create(
        owner=owner, name=name[:255], text=document.text, left_out=document.left_out
    )


def import_upload_get(*, owner: Member, pk) -> ImportUpload | None:
    """The owner's kept document, or None (another editor's, too old, or already made a draft)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    since = timezone.now() - IMPORT_UPLOAD_KEPT
    return ImportUpload.objects.filter(owner=owner, pk=pk, created_at__gte=since).first()


@transaction.atomic
def import_upload_done(*, upload: ImportUpload | None) -> None:
    if upload is not None:
        ImportUpload.objects.filter(pk=upload.pk).delete()


# --- Followers of a topic hear of new interviews on it, at once or in the weekly digest ------------------
# An interview published longer ago than this is not news: the periodic job looks back this far for
# scheduled interviews whose time has come, and the weekly digest tells of the week's interviews.
FOLLOW_NEWS_WINDOW = timedelta(days=7)
DUE_WINDOW = timedelta(days=1)


def _told(*, member_ids: list[int], interview_ids: list[int], now: datetime) -> list[tuple[int, int]]:
    """Record that these members are told of these interviews; only the pairs not told before come back."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {InterviewFollowNotification._meta.db_table} (member_id, interview_id, created_at)
                SELECT m, i, %s FROM unnest(%s::bigint[]) AS m, unnest(%s::bigint[]) AS i
                ON CONFLICT (member_id, interview_id) DO NOTHING RETURNING member_id, interview_id""",  # noqa: S608
            [now, member_ids, interview_ids],
        )
        return sorted(cursor.fetchall())


def _followers(interview: Interview, frequency: str):
    return (
        Follow.objects.of_topics(interview.tags.values("pk"))
        .filter(frequency=frequency, member__is_active=True)
        .exclude(member__email="")
    )


def interview_followers_notify(*, interview_id: int, now: datetime | None = None) -> int:
    """Queue one mail per member who follows a topic of a newly published interview "at once".

    Each member once per interview however often this runs (InterviewFollowNotification first, then
    the mail jobs, in one transaction). Nothing for an interview that is not public (yet), or that was
    published longer ago than FOLLOW_NEWS_WINDOW. Returns the number of mails queued.
    """
    now = now or timezone.now()
    interview = (
        Interview.objects.published()
        .filter(pk=interview_id, published_at__lte=now, published_at__gt=now - FOLLOW_NEWS_WINDOW)
        .first()
    )
    if interview is None:
        return 0
    member_ids = sorted(
        set(_followers(interview, Follow.Frequency.AT_ONCE).values_list("member_id", flat=True))
    )
    if not member_ids:
        return 0
    with transaction.atomic():
        new = _told(member_ids=member_ids, interview_ids=[interview.pk], now=now)
        enqueue_many(
            "interview_follow_mail_send",
            [{"member_id": member_id, "interview_id": interview.pk} for member_id, _interview in new],
        )
    return len(new)


def interview_followers_notify_due(*, now: datetime | None = None) -> int:
    """Tell the followers of interviews whose scheduled time has come (within DUE_WINDOW); safe to run
    as often as wanted: those already told are not told again."""
    now = now or timezone.now()
    due = Interview.objects.published().filter(published_at__gt=now - DUE_WINDOW, published_at__lte=now)
    return sum(
        interview_followers_notify(interview_id=pk, now=now) for pk in due.values_list("pk", flat=True)
    )


def interview_follow_mail_render(*, member_id: int, interview_id: int) -> EmailMessage | None:
    """The "new interview" mail to a follower, from the data as it is now; None when it no longer
    applies (the interview was unpublished, the member stopped following or left)."""
    interview = Interview.objects.published().filter(pk=interview_id).first()
    if interview is None:
        return None
    follow = (
        _followers(interview, Follow.Frequency.AT_ONCE)
        .filter(member_id=member_id)
        .select_related("tag", "member")
        .order_by("pk")
        .first()
    )
    if follow is None:
        return None
    member = follow.member
    with translation.override(member.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "member": member,
            "interview": interview,
            "follow": follow,
            "interview_url": site_url(interview.get_absolute_url()),
            "settings_url": site_url(reverse("events:follow-list")),
            "unsubscribe_url": site_url(
                reverse("events:follow-unsubscribe", args=[follow_unsubscribe_token(follow)])
            ),
        }
        return follow_mail_message(
            member=member, template_prefix="interviews/email/follow_new_interview", context=context
        )


def interview_digest_claim(*, follow: Follow, now: datetime) -> list[int]:
    """The weekly digest's part (events.services.follows.DigestPart): the interviews on a followed topic
    published in the last week that its member has not been told of, recorded as told."""
    if follow.kind != Follow.Kind.TOPIC:
        return []
    ids = list(
        Interview.objects.published()
        .filter(tags=follow.tag_id, published_at__gt=now - FOLLOW_NEWS_WINDOW, published_at__lte=now)
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )
    if not ids:
        return []
    return sorted(
        interview for _member, interview in _told(member_ids=[follow.member_id], interview_ids=ids, now=now)
    )


def interview_digest_items(*, follow: Follow, ids: list[int]) -> list[tuple[str, str]]:
    """The digest's lines for these interviews that are still published, newest first."""
    interviews = Interview.objects.published().filter(pk__in=ids).newest_first().only("title", "slug")
    return [(interview.title, site_url(interview.get_absolute_url())) for interview in interviews]


def interview_digest_heading(follow: Follow) -> str:
    return _("New interviews on the topic %(topic)s:") % {"topic": follow.target}
