"""Playwright against Debian's Chromium, and the axe-core check every page joins.

Without /usr/bin/chromium the browser tests are left out with a loud notice; with CI=true that is an error.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.module_loading import import_string

from tests.helpers.sessions import signed_in_records

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the tests are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
HERE = Path(__file__).parent
_missing = []


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    browser_items = [item for item in items if HERE in Path(item.fspath).parents]
    if not browser_items:
        return
    message = (
        f"Browser tests did NOT run: no Chromium at {CHROMIUM}. "
        "Install it with: sudo apt-get install -y chromium"
    )
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(message + " (CI=true: a missing browser is a failure)")
    _missing.append(message)
    config.hook.pytest_deselected(items=browser_items)
    items[:] = [item for item in items if item not in browser_items]


def pytest_terminal_summary(terminalreporter):
    for message in _missing:
        terminalreporter.write_line(message, red=True, bold=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Swedish browser, as most members have; the site also honours Accept-Language and the switcher.
    return {**browser_context_args, "locale": "sv-SE"}


@pytest.fixture
def language_page(context, live_server):
    """A page whose browser speaks the given language (the cookie the language switcher sets)."""

    def make(language: str):
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        return context.new_page()

    return make


@pytest.fixture
def sign_in(context, live_server):
    """Give the browser a signed-in session for ``member`` without going through the form."""

    def do(member, *, reauthenticated: bool = True):
        engine = import_string(settings.SESSION_ENGINE)
        session = engine.SessionStore()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        # As if the password was just given again: pages behind allauth's reauthentication open directly.
        session["account_authentication_methods"] = signed_in_records(member, reauthenticated=reauthenticated)
        session["account_authentication_methods_user"] = str(member.pk)
        session.save()
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
        )

    return do


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def axe_violations(axe):
    """Return axe's WCAG 2.1 A/AA violations on the page as readable lines (empty when clean)."""

    def run(page) -> list[str]:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        lines = []
        for violation in results.response["violations"]:
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
        return lines

    return run
