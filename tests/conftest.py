import os
import subprocess
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from io import StringIO
from pathlib import Path

import pytest
import time_machine
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


# --- Two tiers: e2e (browsers, servers, workers, processes) and the rest (make test-fast) ------------
# A test is e2e if it lives with the browser or quality tests, uses a live server, or says so with
# @pytest.mark.e2e. Any other test that starts a process is refused (below), so a slow test cannot
# slip into the fast tier unmarked.
E2E_FOLDERS = (BROWSER_TESTS, Path(__file__).parent / "quality")
E2E_FIXTURES = {"live_server", "page", "browser", "context"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath)).resolve()
        if any(folder in path.parents for folder in E2E_FOLDERS) or E2E_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _processes_only_in_e2e(request, monkeypatch):
    """A test outside the e2e tier that starts a process fails, saying how to mark it."""
    if request.node.get_closest_marker("e2e") is not None:
        return

    def refuse(self, args, *rest, **kwargs):
        raise RuntimeError(
            f"{request.node.nodeid} starts a process ({args!r}): mark it @pytest.mark.e2e, or test the "
            "code in-process (tests/conftest.py)"
        )

    monkeypatch.setattr(subprocess.Popen, "_execute_child", refuse)


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


# --- The media check after every test that uses the database -----------------------------------------
# Files and rows must agree after every test, not only in the tests of the check itself: the fixture
# below runs `manage.py media_check` against the test's MEDIA_ROOT and the rows the test left, inside
# the test's own transaction (before pytest-django rolls it back or flushes the tables).
_DATABASE_FIXTURES = (
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
)
# This process's tally; under pytest-xdist each worker sends its own to the controller, which adds them.
_media_tally = {"checked": 0, "written": 0, "kept": 0, "opted_out": 0}


def _uses_database(request) -> bool:
    if request.node.get_closest_marker("django_db") is not None:
        return True
    return any(name in request.fixturenames for name in _DATABASE_FIXTURES)


def _remove_files_waiting_for_commit() -> None:
    """Remove the old files that wait for a commit: a test's own transaction never commits.

    These are the removals `files_delete_on_commit` scheduled (otg/common/files.py) and nothing else;
    the commit would run them, so the check sees the files as a committed transaction leaves them.
    Removals scheduled in a savepoint that rolled back are gone from the list already.
    """
    from django.db import connections

    from otg.common import files

    for connection in connections.all(initialized_only=True):
        for _savepoints, callback, _robust in list(connection.run_on_commit):
            if isinstance(callback, partial) and callback.func is files._remove:
                callback()


@pytest.fixture(scope="session", autouse=True)
def _count_media_writes():
    """Count every file stored under a test's MEDIA_ROOT, for the line at the end of the run."""
    from django.core.files.storage import FileSystemStorage

    original = FileSystemStorage._save

    def counted(self, name, content):
        stored = original(self, name, content)
        if Path(self.location) == Path(django_settings.MEDIA_ROOT).resolve():
            _media_tally["written"] += 1
        return stored

    FileSystemStorage._save = counted
    yield
    FileSystemStorage._save = original


@pytest.fixture(autouse=True)
def _media_check(request, _test_settings, django_db_blocker):
    """After a test that used the database, the stored files and the rows it left must agree.

    A finding fails the test (an error at its teardown) naming each stray file and each row whose file
    is gone. A test that leaves them disagreeing on purpose says so: ``@pytest.mark.media_inconsistent``.
    """
    if not _uses_database(request):
        yield
        return
    # Set up pytest-django's database first, so that its teardown (the rollback, or the flush of a
    # transactional test) comes after this one's: the check reads the rows the test left.
    request.getfixturevalue("db")
    yield
    marker = request.node.get_closest_marker("media_inconsistent")
    if marker is not None:
        if not marker.args or not str(marker.args[0]).strip():
            pytest.fail("@pytest.mark.media_inconsistent needs a reason", pytrace=False)
        _media_tally["opted_out"] += 1
        return
    from django.core.management import CommandError, call_command
    from django.db import connection

    if connection.needs_rollback:
        pytest.fail(
            "The media check cannot read the rows this test left: a database error broke the test's "
            "transaction. Run the statement that is meant to fail inside transaction.atomic(), e.g. "
            "`with pytest.raises(IntegrityError), transaction.atomic():`.",
            pytrace=False,
        )
    root = Path(django_settings.MEDIA_ROOT)
    out = StringIO()
    finding = None
    with django_db_blocker.unblock():
        _remove_files_waiting_for_commit()
        try:
            call_command("media_check", stdout=out)
        except CommandError as error:
            finding = str(error)
    if finding:
        pytest.fail(
            f"The media check found files and rows that disagree after this test ({finding}) "
            f"in {root}:\n{out.getvalue()}"
            "Fix the code that wrote or removed them, or mark a test that does it on purpose "
            '@pytest.mark.media_inconsistent("why").',
            pytrace=False,
        )
    _media_tally["checked"] += 1
    _media_tally["kept"] += sum(1 for path in root.rglob("*") if path.is_file()) if root.exists() else 0


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller adds up the tallies
        workeroutput["media_check"] = dict(_media_tally)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    for key, value in getattr(node, "workeroutput", {}).get("media_check", {}).items():
        _media_tally[key] += value


def pytest_terminal_summary(terminalreporter):
    if _media_tally["checked"] or _media_tally["opted_out"]:
        terminalreporter.write_line(
            f"media check: {_media_tally['checked']} tests passed it (files and rows agreed); "
            f"{_media_tally['written']} files stored through Django's storage, {_media_tally['kept']} files "
            f"in the media folders at the checks; {_media_tally['opted_out']} tests opted out "
            "(media_inconsistent)"
        )


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
def admin_client(admin_user):
    """pytest-django's admin_client (a client of its own) in a session signed in with the second
    factor, as staff use the admin (members.permissions)."""
    from django.test import Client

    from tests.helpers.sessions import force_login_with_second_factor

    client = Client()
    force_login_with_second_factor(client, admin_user)
    return client


@pytest.fixture
def frozen_database_clock(db):
    """``with frozen_database_clock(moment):`` freezes both clocks at ``moment``: Python's (time-machine)
    and PostgreSQL's, for this test's transaction: it finds a statement_timestamp() of our own before
    pg_catalog's, which reads the frozen time from a setting (Now() in a query is statement_timestamp()).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA IF NOT EXISTS test_clock")
        cursor.execute(
            "CREATE OR REPLACE FUNCTION test_clock.statement_timestamp() RETURNS timestamptz "
            "LANGUAGE sql STABLE AS $$ SELECT current_setting('test_clock.now')::timestamptz $$"
        )
        # For this test's transaction only (SET LOCAL): ours first, then pg_catalog's.
        cursor.execute("SET LOCAL search_path TO test_clock, public, pg_catalog")

    @contextmanager
    def at(moment: datetime):
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('test_clock.now', %s, true)", [moment.isoformat()])
            cursor.execute("SELECT statement_timestamp()")
            assert cursor.fetchone()[0] == moment  # the database reads the frozen time
        with time_machine.travel(moment, tick=False):
            yield

    return at


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
