import pytest
from django.conf import settings as django_settings

# WhiteNoise looks for STATIC_ROOT when the first request arrives; collectstatic has not run in tests.
django_settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, a private media folder and cache per test, and static files without a manifest."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
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
