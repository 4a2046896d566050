"""Middleware of the portal itself."""

from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control


class RejectNulBytesMiddleware:
    """Refuse a NUL byte in the path or query string with the friendly 400 page.

    PostgreSQL cannot store or compare text with NUL, so such a value reaching a lookup (a topic slug,
    a search) would raise instead of answering; no real link ever carries one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return HttpResponse(loader.render_to_string("400.html", request=request), status=400)
        return self.get_response(request)


class FriendlyMethodNotAllowedMiddleware:
    """Give the empty 405 answers of @require_safe / @require_POST the site's friendly page.

    Placed last in MIDDLEWARE, so the security and CSP middleware still add their headers to it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "streaming", False) and not response.content:
            friendly = HttpResponse(loader.render_to_string("405.html", request=request), status=405)
            if "Allow" in response:
                friendly["Allow"] = response["Allow"]
            return friendly
        return response


class PrivateWhenSignedInMiddleware:
    """Every answer to a signed-in member is ``Cache-Control: private, no-store``, unless the view set
    its own header.

    What a signed-in member sees is theirs: the organiser's attendee list and its CSV, "Mina
    evenemang", the profile form, the email and second-factor pages, and even a public page (it names
    them and holds their sign-out form). No shared cache may keep it, and no browser may store it on a
    shared computer. Anonymous answers are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and self._signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _signed_in(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        try:
            return user is not None and user.is_authenticated
        except DatabaseError:  # the database is down: the 503 page names nobody
            return False
