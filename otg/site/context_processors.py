"""What every page's header needs, worked out once per request without asking the database."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

# The first part of a path, for the main menu's aria-current (the paths are Swedish, see urls.py).
SECTIONS = {"evenemang", "intervjuer", "medlemmar", "sok"}
# A signed-in member's own pages: they belong to "My profile", not to the section their path is in.
OWN_PAGES = ("/medlemmar/profil/", "/medlemmar/mina-uppgifter/", "/medlemmar/radera-konto/", "/konto/")
MY_EVENTS = "/evenemang/mina/"


def current_item(path: str, profile_url: str) -> str:
    """The one menu item that is marked current on this path, or "" when none is."""
    if path == MY_EVENTS:
        return "my-events" if profile_url else ""
    if profile_url and (path == profile_url or path.startswith(OWN_PAGES)):
        return "profile"
    section = path.split("/", 2)[1] if path.count("/") >= 2 else ""
    return section if section in SECTIONS else ""


ACCOUNT_PAGES = "/konto/"


def return_query(request: HttpRequest) -> str:
    """``?next=…`` for the header's sign-in and sign-up links: back to the page they were followed from.

    On allauth's own pages (sign-in, sign-up, reset) the page's own ``next`` is carried on, so that going
    from sign-in to sign-up does not lose where the member was; "" when there is nowhere to return.
    """
    if request.path.startswith(ACCOUNT_PAGES):
        target = request.GET.get("next", "")
        if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return ""
    else:
        target = request.get_full_path()
    if target in ("", "/"):
        return ""
    return "?" + urlencode({"next": target})


def navigation(request: HttpRequest) -> dict[str, str]:
    profile_url = ""
    # Error pages answered before the authentication middleware ran have no user.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile_url = reverse("members:member-detail", args=[user.pk])
    # The menu is cached per language and current section (templates/includes/_header.html).
    return {
        "nav_current": current_item(request.path, profile_url),
        "my_profile_url": profile_url,
        "return_query": "" if profile_url else return_query(request),
    }
