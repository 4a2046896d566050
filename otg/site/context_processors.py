"""What every page's header needs, worked out once per request without asking the database."""

from django.http import HttpRequest
from django.urls import reverse

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


def navigation(request: HttpRequest) -> dict[str, str]:
    profile_url = ""
    # Error pages answered before the authentication middleware ran have no user.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile_url = reverse("members:member-detail", args=[user.pk])
    # The menu is cached per language and current section (templates/includes/_header.html).
    return {"nav_current": current_item(request.path, profile_url), "my_profile_url": profile_url}
