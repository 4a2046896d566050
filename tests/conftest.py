import pytest
from django.conf import settings as django_settings

# WhiteNoise looks for STATIC_ROOT when the first request arrives; collectstatic has not run in tests.
django_settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


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


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    """Jobs run at once in the test's own process and mail lands in Django's outbox (mailoutbox).

    Tests of the queue itself turn JOBS_INLINE off and start real workers (tests/otg/common/).
    """
    settings.JOBS_INLINE = True
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
