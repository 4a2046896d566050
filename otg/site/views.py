"""Pages that belong to no single app: home, search, topics, the health check and the error pages."""

import mimetypes
import posixpath
import sys
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.core.exceptions import SuspiciousFileOperation
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils._os import safe_join
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.static import serve
from taggit.models import Tag

from events.models import Event, Follow, Rsvp
from events.services import follows
from interviews.models import Interview
from members.models import Member
from members.permissions import PORTRAIT_FOLDER, can_see_portrait
from members.services import member_visibility_set
from otg.common import topics
from otg.common.caching import FRAGMENT_TIMEOUT, cached, fragment_key, page_number, reads_generations
from otg.common.pages import kept_page
from otg.site import search

HOME_ITEMS = 3
WELCOME_EVENTS = 6
TOPIC_ITEMS = 6


# The clocks of events and interviews are in the generations: an event that ends, an interview whose
# time comes, changes them. A visitor who is not signed in gets the page as every such visitor does.
@require_safe
@kept_page("home", "events", "interviews", "tags")
def home(request: HttpRequest, *, page, version: str) -> HttpResponse:
    events = Event.objects.upcoming().filter(status=Event.Status.PUBLISHED)
    interviews = Interview.objects.published()
    my_event = None
    if request.user.is_authenticated:
        my_event = events.filter(rsvps__member=request.user, rsvps__status=Rsvp.Status.GOING).first()
    with_places = events.filter(Q(capacity__isnull=True) | Q(going_count__lt=F("capacity")))
    if my_event is not None:
        with_places = with_places.exclude(pk=my_event.pk)
    # Both lists are rendered once per generation of what they show; their rows load only then.
    return page.render(
        "pages/home.html",
        {
            "my_event": my_event,
            "events": SimpleLazyObject(lambda: list(with_places[:HOME_ITEMS])),
            "version": version,
            "interviews": SimpleLazyObject(lambda: list(interviews.newest_first().with_tags()[:HOME_ITEMS])),
            "fragment_timeout": FRAGMENT_TIMEOUT,
        },
    )


@require_safe
@reads_generations(*search.KINDS)
def search_page(request: HttpRequest, *, version: str) -> HttpResponse:
    parsed = search.clean_query(request.GET.get("q", ""))
    kind = request.GET.get("typ", "")
    if kind not in search.Kind.values:
        kind = ""
    context = {
        "query": parsed.text,
        "problem": parsed.problem,
        "kind": kind,
        "kinds": search.Kind,
        "page_params": {"q": parsed.text, "typ": kind},
    }
    if not parsed.problem:
        # The results are rendered once per query, kind, page and generation of what anyone may see;
        # the search itself runs only when they are rendered.
        number = page_number(request.GET.get("sida"))
        found: list[search.Results] = []

        def run() -> search.Results:
            found.append(search.results(parsed, kind=kind, page_number=number))
            return found[-1]

        context.update(
            version=version,
            page_number=number,
            results=SimpleLazyObject(run),
            fragment_timeout=FRAGMENT_TIMEOUT,
        )
        response = render(request, "pages/search.html", context)
        if found and found[-1].problem == "unavailable":
            # A failure (a timeout under load, most likely) must not be kept for the next visitor: the
            # fragment goes and the status says "later". The key as the template's {% cache %} makes it,
            # whose fragment name keeps the quotes it is written with.
            caches["template_fragments"].delete(
                make_template_fragment_key('"search"', [version, parsed.text, kind, number, get_language()])
            )
            response.status_code = 503
        return response
    return render(request, "pages/search.html", context)


# Everything a topic page or the topic list shows: the generations of every kind that carries tags.
TOPIC_GENERATIONS = ("events", "interviews", "members", "tags")


@require_safe
@reads_generations(*TOPIC_GENERATIONS)
def topic_list(request: HttpRequest, *, version: str) -> HttpResponse:
    # Rendered once per generation of everything a topic can count; the counting runs only then.
    return render(
        request,
        "pages/topic_list.html",
        {
            "topics": SimpleLazyObject(topics.with_counts),
            "version": version,
            "fragment_timeout": FRAGMENT_TIMEOUT,
        },
    )


@require_safe
@kept_page("topic", *TOPIC_GENERATIONS)
def topic_detail(request: HttpRequest, slug: str, *, page, version: str) -> HttpResponse:
    # A tag that only private or unpublished things carry is not shown: its name alone could tell.
    # A tag in public use, and its counts, are kept per generation with the fragment; a slug that
    # names none is asked again (otg.common.caching.cached keeps no None).
    tag = cached(fragment_key("topic-tag", version, slug[:100]), lambda: _topic(slug))
    if tag is None:
        raise Http404
    # The lists are rendered once per generation; their rows load only then.
    return page.render(
        "pages/topic_detail.html",
        {
            "tag": tag,
            "version": version,
            "interviews": SimpleLazyObject(
                lambda: list(
                    Interview.objects.published().newest_first().filter(tags=tag).with_tags()[:TOPIC_ITEMS]
                )
            ),
            "events": SimpleLazyObject(lambda: list(Event.objects.upcoming().filter(tags=tag)[:TOPIC_ITEMS])),
            "members": SimpleLazyObject(
                lambda: list(
                    Member.objects.public().filter(interests=tag).order_by("name", "pk")[:TOPIC_ITEMS]
                )
            ),
            "limit": TOPIC_ITEMS,
            "fragment_timeout": FRAGMENT_TIMEOUT,
        },
    )


def _topic(slug: str) -> Tag | None:
    """The tag if it is in public use, with how many public things of each kind carry it."""
    tag = topics.public_tag(slug)
    return topics.counts_for(tag) if tag else None


def _safe_next(request: HttpRequest) -> str:
    """The page a new member came from (allauth's ``next``), if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    """The first page after a new member confirms their address: three offers, each one click, none
    made for them. The profile stays private, interests stay unfollowed, until the member says so.

    ``?stad=`` shows the upcoming events in a city (the member's city is not stored: least data).
    """
    member = request.user
    next_url = _safe_next(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "public":
            member_visibility_set(member=member, is_public=True)
            messages.success(request, _("Your profile is public now. You can make it private again on it."))
        elif action == "follow-topics":
            followed = []
            for slug in request.POST.getlist("topic"):
                try:
                    follow = follows.follow_create(member=member, kind=Follow.Kind.TOPIC, tag_slug=slug)
                except follows.FollowError:
                    continue
                followed.append(follow)
            if followed:
                messages.success(
                    request,
                    ngettext(
                        "You follow %(count)d topic now: new events and interviews on it come by email.",
                        "You follow %(count)d topics now: new events and interviews on them come by email.",
                        len(followed),
                    )
                    % {"count": len(followed)},
                )
            else:
                messages.error(request, _("Choose at least one topic to follow."))
        elif action == "follow-city":
            try:
                follow = follows.follow_create(
                    member=member, kind=Follow.Kind.CITY, city=request.POST.get("city", "")
                )
            except follows.FollowError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("You follow events in %(city)s now.") % {"city": follow.city})
        pairs = (("next", next_url), ("stad", request.POST.get("city", "")))
        query = {key: value for key, value in pairs if value}
        return redirect(f"{reverse('welcome')}?{urlencode(query)}" if query else reverse("welcome"))

    interests = list(member.interests.order_by("name"))
    public_ids = set(
        topics.in_public_use().filter(pk__in=[tag.pk for tag in interests]).values_list("pk", flat=True)
    )
    followed_ids = set(
        Follow.objects.filter(member=member, kind=Follow.Kind.TOPIC).values_list("tag_id", flat=True)
    )
    cities = Event.objects.upcoming().filter(status=Event.Status.PUBLISHED).cities()
    city = request.GET.get("stad", "")
    city = next((known for known in cities if known.casefold() == city.strip().casefold()), "")
    city_events = []
    if city:
        city_events = list(
            Event.objects.upcoming().filter(status=Event.Status.PUBLISHED, city=city)[:WELCOME_EVENTS]
        )
    return render(
        request,
        "pages/welcome.html",
        {
            "next_url": next_url,
            "followable": [tag for tag in interests if tag.pk in public_ids and tag.pk not in followed_ids],
            "followed": [tag for tag in interests if tag.pk in followed_ids],
            "unused": [tag for tag in interests if tag.pk not in public_ids and tag.pk not in followed_ids],
            "cities": cities,
            "city": city,
            "city_events": city_events,
            "city_followed": bool(city)
            and Follow.objects.filter(member=member, kind=Follow.Kind.CITY, city__iexact=city).exists(),
        },
    )


@never_cache
@require_safe
def livez(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers, without asking the database (the benchmark's floor, too)."""
    return HttpResponse("alive\n", content_type="text/plain")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    # MEDIA_ROOT is read per request (not frozen into the URLconf), so it follows the settings.
    # Every stored image was re-encoded under a name with its format's extension, so the content
    # type guessed from the name is the image's own; SecurityMiddleware adds nosniff.
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or "\x00" in name:
        raise Http404
    # A member's portrait only to those who may see it: a private profile's has no public address.
    if name.startswith(PORTRAIT_FOLDER) and not can_see_portrait(request, name):
        raise Http404
    if settings.MEDIA_ACCEL_REDIRECT:
        # In production the proxy sends the file from its internal location (docs/deploy.md, 5).
        try:
            safe_join(str(settings.MEDIA_ROOT), name)
        except SuspiciousFileOperation as error:
            raise Http404 from error
        response = HttpResponse(content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(name)
        return response
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:  # a name too long for the file system is simply not there
        raise Http404 from error


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Suspicious input (an overlong redirect, an unknown host) ends here, in the site layout.
    return HttpResponse(loader.render_to_string("400.html", request=request), status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the error may come from the database or a template tag.
    # Django calls this view for an exception raised anywhere, the session and authentication
    # middleware included, so an unreachable database is answered here in one place. If even the
    # layout cannot render (a broken static manifest, say), the visitor still gets a plain answer.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable()
    try:
        return HttpResponse(loader.get_template("500.html").render(), status=500)
    except Exception:  # the last resort must not raise
        return HttpResponse(
            "Något gick fel. Försök igen om en stund. / Something went wrong. Please try again shortly.\n",
            status=500,
            content_type="text/plain; charset=utf-8",
        )


def database_unavailable() -> HttpResponse:
    """The friendly 503 page; rendered without a request, so it needs no session, user or query."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    return response


# Paths with nothing for a search engine: a member's own pages, forms, the host and review tools, tokens
# in links from mail, and the admin. The event and interview pages, profiles and topics stay open.
ROBOTS_DISALLOW = [
    "/admin/",
    "/konto/",
    "/i18n/",
    "/sok/",
    "/medlemmar/profil/",
    "/medlemmar/mina-uppgifter/",
    "/medlemmar/radera-konto/",
    "/evenemang/mina/",
    "/evenemang/foresla/",
    "/evenemang/granskning/",
    "/evenemang/folj/",
    "/evenemang/avregistrera/",
    "/evenemang/medvard/",
    "/evenemang/kalender/",
    "/evenemang/*/anmalan/",
    "/evenemang/*/avanmalan/",
    "/evenemang/*/deltagare",
    "/evenemang/*/vard/",
    "/evenemang/*/rapportera/",
    "/evenemang/*/skriv-till-vardarna/",
    "/evenemang/*/granska/",
]


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('django.contrib.sitemaps.views.sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page links: send them to the file."""
    return redirect(static("img/favicon.ico"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
