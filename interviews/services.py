"""Every write to interviews that carries a rule: publishing, portraits, importing plain text."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from interviews.models import PORTRAIT_SQUARE, PORTRAIT_THUMB, ImportUpload, Interview, Question
from interviews.parsing import Document, parse_interview
from members.models import Member
from otg.common.files import file_save, files_atomic, files_delete_on_commit, stored_files
from otg.common.images import clean_image


@transaction.atomic
def interview_publish(*, interview: Interview, at: datetime | None = None) -> Interview:
    """Publish now, or schedule for ``at``: the interview becomes public by itself when that time comes."""
    interview.status = Interview.Status.PUBLISHED
    interview.published_at = at or timezone.now()
    interview.save(update_fields=["status", "published_at", "updated_at"])
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
