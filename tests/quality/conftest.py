"""What the checkers of tests/quality need: the Nu Html Checker (npm's vnu-jar on Debian's Java), the demo
content, and a signed-in test client like the browser tests' one.

Without Java or `npm ci` the checks that need them are left out with a loud notice; with CI=true that is
an error (.ci/run installs both).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.helpers.sessions import signed_in_records

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HERE = Path(__file__).parent
_missing = []


def vnu_missing() -> str | None:
    if not shutil.which("java"):
        return "no Java (sudo apt-get install -y default-jre-headless)"
    if not VNU_JAR.exists():
        return f"no {VNU_JAR.relative_to(ROOT)} (run: npm ci)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = vnu_missing()
    if reason is None:
        return
    vnu_items = [item for item in items if HERE in Path(item.fspath).parents and "vnu" in item.fixturenames]
    if not vnu_items:
        return
    message = f"Nu Html Checker tests did NOT run: {reason}."
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(message + " (CI=true: a missing checker is a failure)")
    _missing.append(message)
    config.hook.pytest_deselected(items=vnu_items)
    items[:] = [item for item in items if item not in vnu_items]


def pytest_terminal_summary(terminalreporter):
    for message in _missing:
        terminalreporter.write_line(message, red=True, bold=True)


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs the Nu Html Checker."""
    return ["java", "-Xss1m", "-jar", str(VNU_JAR)]


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.fixture
def sign_in_client(client):
    """Sign ``client`` in as ``member`` as if the password was just given (no reauthentication asked)."""

    def do(member):
        client.force_login(member)
        session = client.session
        session["account_authentication_methods"] = signed_in_records(member, reauthenticated=True)
        session["account_authentication_methods_user"] = str(member.pk)
        session.save()
        return client

    return do
