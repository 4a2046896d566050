from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from interviews.models import Interview
from members.models import Member
from members.permissions import require_second_factor, staff_power
from otg.common.caching import (
    FRAGMENT_TIMEOUT,
    CachedCountPaginator,
    fragment_key,
    page_number,
)
from otg.common.markdown import render_markdown
from otg.common.pages import kept_page
from otg.common.topics import public_tag

PAGE_SIZE = 12
PREVIEW = "interviews.view_interview"


def can_preview(request: HttpRequest) -> bool:
    """Staff who may see interviews in the admin may also see drafts and scheduled ones on the site,
    in a session with a second factor, as in the admin (members.permissions)."""
    return staff_power(request) and request.user.has_perm(PREVIEW)


def _editor_bar(request: HttpRequest, interview: Interview) -> dict | None:
    """What an editor who may change the interview gets above it: its state and the ways on."""
    if not (can_preview(request) and request.user.has_perm("interviews.change_interview")):
        return None
    return {
        "state": interview.publication_words(),
        "edit_url": reverse("admin:interviews_interview_change", args=[interview.pk]),
        "publication_url": reverse("admin:interviews_interview_publication", args=[interview.pk]),
    }


# The cards are rendered once per generation, tag and page; the count and rows load only then. A
# visitor who is not signed in, without filters, gets the page as every such visitor does.
@require_safe
@kept_page("interview-list", "interviews", "tags")
def interview_list(request: HttpRequest, *, page, version: str) -> HttpResponse:
    interviews = Interview.objects.published().newest_first().with_tags()
    tag = None
    if slug := request.GET.get("amne", "").strip():
        # Only a tag that something public carries (otg.common.topics): no other tag's name is shown.
        tag = public_tag(slug)
        if tag is None:
            raise Http404
        interviews = interviews.filter(tags=tag)
    number = page_number(request.GET.get("sida"))
    key = fragment_key("interview-list", version, tag.slug if tag else "", get_language())
    paginator = CachedCountPaginator(interviews, PAGE_SIZE, key=key)
    context = {
        "page": SimpleLazyObject(lambda: paginator.get_page(number)),
        "tag": tag,
        "page_params": {"amne": tag.slug if tag else ""},
        "version": version,
        "fragment_timeout": FRAGMENT_TIMEOUT,
    }
    return page.render("interviews/interview_list.html", context)


def _related_events(interview: Interview) -> dict:
    """The interviewee's events: those still to come (soonest first) apart from those that are over."""
    if not interview.has_related_events:
        return {}
    now = timezone.now()
    events = list(interview.related_events.visible().order_by("start"))
    upcoming = [event for event in events if event.end >= now]
    past = [event for event in reversed(events) if event.end < now]
    return {"upcoming": upcoming, "past": past} if events else {}


def _public_profile(member_id: int | None) -> Member | None:
    # Only its address is shown (get_absolute_url): the account's other columns are not read.
    return Member.objects.public().filter(pk=member_id).only("pk").first() if member_id else None


# The page is rendered once per generation of what it shows; questions, tags and events load only then.
# No clock: whether this interview is public is decided below, per rendering.
@require_safe
@kept_page("interview-page", "interviews", "members", "events", "tags", clocks=False)
def interview_detail(request: HttpRequest, slug: str, *, page, version: str) -> HttpResponse:
    try:
        interview, is_preview = Interview.objects.published().with_related_events_flag().get(slug=slug), False
    except Interview.DoesNotExist:
        if not can_preview(request):
            if request.user.has_perm(PREVIEW):
                require_second_factor(request)
            raise Http404 from None
        interview = get_object_or_404(Interview.objects.with_related_events_flag(), slug=slug)
        is_preview = True
    image_url = settings.SITE_URL + interview.portrait_square.url if interview.portrait_square else ""
    related_events = SimpleLazyObject(lambda: _related_events(interview))
    # Who is interviewed: the page's description, in its meta tags three times.
    description = interview.interviewee_name
    if interview.interviewee_description:
        description += f", {interview.interviewee_description}"
    return page.render(
        "interviews/interview_detail.html",
        {
            "interview": interview,
            "is_preview": is_preview,
            # Signed-in pages are never kept for others (AnonymousPage), so the bar and its token are safe.
            "editor_bar": _editor_bar(request, interview) if request.user.is_authenticated else None,
            "page_url": settings.SITE_URL + interview.get_absolute_url(),
            "image_url": image_url,
            "related_events": related_events,
            # Rendered once, for the page and its structured data (interviews.structured_data).
            "introduction": SimpleLazyObject(lambda: render_markdown(interview.introduction)),
            "description": description,
            # Only the text is shown: rows, not model instances (in the order the model gives them).
            "questions": SimpleLazyObject(lambda: list(interview.questions.values("question", "answer"))),
            # Lazy, and read once for both places that show them (the page's meta tags and its footer).
            "tags": SimpleLazyObject(lambda: list(interview.tags.all())),
            # The interviewee's profile when anyone may open it (Member.objects.public()), else None.
            "interviewee_profile": SimpleLazyObject(lambda: _public_profile(interview.interviewee_member_id)),
            "version": version,
            "fragment_timeout": FRAGMENT_TIMEOUT,
        },
        # An event still to come moves to the past ones just after it ends.
        until=lambda: min(
            (event.end + timedelta(microseconds=1) for event in related_events.get("upcoming", ())),
            default=None,
        ),
    )
