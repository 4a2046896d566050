"""The test run itself: a missing browser in CI says so plainly, also under pytest-xdist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BROWSER_TEST = "tests/browser/test_layout.py"


@pytest.mark.e2e
def test_ci_without_chromium_prints_the_install_message_not_an_internal_error(tmp_path):
    """With CI=true and no Chromium, `make test` (xdist) ended in an INTERNALERROR traceback."""
    env = {**os.environ, "CI": "true", "CHROMIUM_PATH": "/nonexistent/chromium"}
    result = subprocess.run(
        # Its own basetemp: the run's default folder belongs to this run.
        [sys.executable, "-m", "pytest", "-n", "2", "--basetemp", str(tmp_path / "run"), BROWSER_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "INTERNALERROR" not in output
    assert "Browser tests did NOT run: no Chromium at /nonexistent/chromium" in output
    assert "sudo apt-get install -y chromium" in output


# --- The media check after every test (tests/conftest.py) ------------------------------------------------
# A tiny test file run by pytest in a subprocess, with this project's conftest as a plugin: what a developer
# sees when a test leaves files and rows disagreeing. Each run has its own database (kept between runs).
INNER_TESTS = """
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from members import services
from tests.factories import EventFactory, MemberFactory
from tests.helpers.photos import photo_upload

pytestmark = pytest.mark.django_db


def test_a_portrait_stored_through_its_service(commit):
    with commit():
        services.member_portrait_set(member=MemberFactory(), upload=photo_upload())
        services.member_portrait_set(member=MemberFactory(), upload=photo_upload())


def test_a_portrait_replaced_in_the_tests_own_transaction():
    # The old files wait for a commit that never comes: the check removes them as the commit would.
    member = MemberFactory()
    services.member_portrait_set(member=member, upload=photo_upload())
    services.member_portrait_set(member=member, upload=photo_upload())


@pytest.mark.django_db(transaction=True)
def test_a_portrait_stored_in_a_transactional_test():
    # Checked before pytest-django empties the tables.
    services.member_portrait_set(member=MemberFactory(), upload=photo_upload())


def test_a_cover_written_without_a_row():
    EventFactory()
    default_storage.save("events/orphan-cover.jpg", ContentFile(b"not named by any row"))


def test_a_row_naming_a_file_never_stored():
    MemberFactory(portrait="portraits/never-stored.jpg")


def test_a_database_error_outside_a_savepoint():
    from django.db import IntegrityError

    from tests.factories import InterviewFactory

    with pytest.raises(IntegrityError):
        InterviewFactory(status="published", published_at=None)


@pytest.mark.media_inconsistent("a stray file on purpose")
def test_a_stray_file_on_purpose():
    default_storage.save("events/on-purpose.jpg", ContentFile(b"x"))
"""


def run_inner(tmp_path, test_name: str, database: str) -> tuple[int, str]:
    (tmp_path / "test_inner.py").write_text(INNER_TESTS)
    env = {**os.environ, "EMBEDDED_PG_DATABASE": f"otg_media_fixture_{database}"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.conftest",
            "-p",
            "no:xdist",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(ROOT),
            "--basetemp",
            str(tmp_path / "run"),
            "-k",
            f"test_a_portrait or {test_name} or test_a_stray_file_on_purpose",
            str(tmp_path / "test_inner.py"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.e2e
def test_media_check_fails_a_test_that_leaves_a_file_no_row_names(tmp_path):
    returncode, output = run_inner(tmp_path, "test_a_cover_written_without_a_row", "orphan")
    assert returncode != 0, output
    assert "ERROR at teardown of test_a_cover_written_without_a_row" in output, output
    assert "unreferenced file: events/orphan-cover.jpg" in output
    assert "1 unreferenced file(s), 0 missing file(s)" in output
    # The tests that store files through the service pass; the one that opted out is not checked.
    assert "5 passed, 2 deselected, 1 error" in output
    assert "on-purpose.jpg" not in output
    assert "media check: 3 tests passed it" in output
    # Portraits of 3 sizes each: 2 stored, 2 stored of which 1 replaced, 1 stored; and the 2 stray files.
    assert "17 files stored through Django's storage, 12 files in the media folders at the checks" in output
    assert "1 tests opted out (media_inconsistent)" in output


@pytest.mark.e2e
def test_media_check_fails_a_test_whose_row_names_a_missing_file(tmp_path):
    returncode, output = run_inner(tmp_path, "test_a_row_naming_a_file_never_stored", "missing")
    assert returncode != 0, output
    assert "ERROR at teardown of test_a_row_naming_a_file_never_stored" in output, output
    assert "missing file: members.Member " in output
    assert " portrait: portraits/never-stored.jpg" in output
    assert "0 unreferenced file(s), 1 missing file(s)" in output
    assert "5 passed, 2 deselected, 1 error" in output


@pytest.mark.e2e
def test_media_check_says_plainly_when_a_test_broke_its_transaction(tmp_path):
    returncode, output = run_inner(tmp_path, "test_a_database_error_outside_a_savepoint", "broken")
    assert returncode != 0, output
    assert "ERROR at teardown of test_a_database_error_outside_a_savepoint" in output, output
    assert "The media check cannot read the rows this test left" in output
    assert "with pytest.raises(IntegrityError), transaction.atomic():" in output
    assert "TransactionManagementError" not in output
