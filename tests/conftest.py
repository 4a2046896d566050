import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

# The processes that tests start (manage.py, gunicorn, workers) use the same embedded PostgreSQL as
# the tests themselves; outside development and tests the settings refuse to start without
# DATABASE_URL (tests/otg/test_settings.py).
os.environ.setdefault("DJANGO_EMBEDDED_DB", "true")
BROWSER_TESTS = Path(__file__).parent / "browser"

# WhiteNoise looks for STATIC_ROOT when the first request arrives; collectstatic has not run in tests.
django_settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def _runs_browser_tests(config) -> bool:
    for arg in config.args:
        path = Path(arg.split("::")[0]).resolve()
        if path == BROWSER_TESTS or BROWSER_TESTS in path.parents or path in BROWSER_TESTS.parents:
            return True
    return False


def pytest_configure(config):
    """With CI=true a missing Chromium fails the run here, in the controller, before any xdist worker
    starts: raised on a worker (tests/browser/conftest.py) it ended as an INTERNALERROR traceback and
    the message was lost."""
    if hasattr(config, "workerinput") or os.environ.get("CI", "").lower() != "true":
        return
    chromium = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    if not chromium.exists() and _runs_browser_tests(config):
        raise pytest.UsageError(
            f"Browser tests did NOT run: no Chromium at {chromium}. Install it with: "
            "sudo apt-get install -y chromium (CI=true: a missing browser is a failure)"
        )


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test's flush recreates content types under new ids; forget the cached old ones."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Swedish, whatever language an earlier request in this thread left active."""
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, a private media folder and cache per test, and static files without a manifest."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)},
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"{tmp_path}-fragments",
        },
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def member(db):
    from tests.factories import MemberFactory

    return MemberFactory()


@pytest.fixture
def admin_user(db):
    """A superuser as the admin requires one: verified email and an authenticator app."""
    from tests.factories import MemberFactory

    return MemberFactory(email="admin@example.org", name="Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit():`` runs what waits for the commit (the bumps of cached pages' generations, mail)
    when the block ends, as if the writes in it had committed: a test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    """Jobs run at once in the test's own process and mail lands in Django's outbox (mailoutbox).

    Tests of the queue itself turn JOBS_INLINE off and start real workers (tests/otg/common/).
    """
    settings.JOBS_INLINE = True
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
