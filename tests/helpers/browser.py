"""Pages opened in Chromium as a given member, language and size; keyboard use."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.module_loading import import_string

from tests.helpers.sessions import signed_in_records


def session_cookie(member, url: str) -> dict:
    """A cookie (Playwright's shape) for a session signed in as `member` with a password, and for staff
    with their authenticator code too, as staff sign in (members.permissions)."""
    engine = import_string(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session["account_authentication_methods"] = signed_in_records(member)
    session["account_authentication_methods_user"] = str(member.pk)  # whose records they are
    session.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": url}


def new_page(browser, live_server, *, language: str, size=(1280, 800), javascript: bool = True, member=None):
    """A page in a context of its own: `language` cookie, viewport `size` (px), JavaScript on or off,
    signed in as `member` when given."""
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, locale="sv-SE", java_script_enabled=javascript
    )
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if member is not None:
        cookies.append(session_cookie(member, live_server.url))
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def activate(locator) -> None:
    """Keyboard only: focus the element and press Enter, as a keyboard user does."""
    locator.focus()
    locator.press("Enter")
