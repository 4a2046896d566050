"""Pages that belong to no single app: the home page, the health check and the error pages."""

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


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
    return serve(request, path, document_root=settings.MEDIA_ROOT)


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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
