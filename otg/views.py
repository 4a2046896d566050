"""Pages that belong to no single app: the home page, the health check and the error pages."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


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


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the error may come from the database or a template tag. If even the
    # layout cannot render (a broken static manifest, say), the visitor still gets a plain answer.
    try:
        return HttpResponse(loader.get_template("500.html").render(), status=500)
    except Exception:  # the last resort must not raise
        return HttpResponse(
            "Något gick fel. Försök igen om en stund. / Something went wrong. Please try again shortly.\n",
            status=500,
            content_type="text/plain; charset=utf-8",
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
