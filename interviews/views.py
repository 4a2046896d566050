from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe
from taggit.models import Tag

from interviews.models import Interview
from otg.common.caching import FRAGMENT_TIMEOUT, CountedPaginator, content_version

PAGE_SIZE = 12


def can_preview(user) -> bool:
    """Staff who may see interviews in the admin may also see drafts and scheduled ones on the site."""
    return user.is_active and user.is_staff and user.has_perm("interviews.view_interview")


@require_safe
def interview_list(request: HttpRequest) -> HttpResponse:
    interviews = Interview.objects.published().newest_first().with_tags()
    tag = None
    if slug := request.GET.get("amne"):
        tag = get_object_or_404(Tag, slug=slug)
        interviews = interviews.filter(tags=tag)
    # The cards are rendered once per version of the list; the page's rows load only then.
    version = content_version(interviews, latest=Max("published_at"))
    page = CountedPaginator(interviews, PAGE_SIZE, count=version.count).get_page(request.GET.get("sida"))
    context = {
        "page": page,
        "tag": tag,
        "version": version,
        "fragment_timeout": FRAGMENT_TIMEOUT,
    }
    return render(request, "interviews/interview_list.html", context)


def _related_events(interview: Interview) -> dict:
    """The interviewee's events: those still to come (soonest first) apart from those that are over."""
    now = timezone.now()
    events = list(interview.related_events.visible().order_by("start"))
    upcoming = [event for event in events if event.end >= now]
    past = [event for event in reversed(events) if event.end < now]
    return {"upcoming": upcoming, "past": past} if events else {}


@require_safe
def interview_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The page is rendered once per version of what it shows; questions, tags and events load only then.
    interviews = Interview.objects.select_related("interviewee_member").with_events_version()
    if not can_preview(request.user):
        interviews = interviews.published()
    interview = get_object_or_404(interviews, slug=slug)
    if not interview.is_public and not can_preview(request.user):
        raise Http404
    image_url = settings.SITE_URL + interview.portrait_square.url if interview.portrait_square else ""
    related_events = SimpleLazyObject(lambda: _related_events(interview))
    return render(
        request,
        "interviews/interview_detail.html",
        {
            "interview": interview,
            "is_preview": not interview.is_public,
            "page_url": settings.SITE_URL + interview.get_absolute_url(),
            "image_url": image_url,
            "related_events": related_events,
            "fragment_timeout": FRAGMENT_TIMEOUT,
        },
    )
