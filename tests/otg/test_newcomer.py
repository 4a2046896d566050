"""A newcomer's first minutes: the example settings work as they are, every demo login is named where
a newcomer looks, and `make stop` stops what `make run` started."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from events import demo as events_demo
from members import demo as members_demo
from otg import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]
LOGINS = members_demo.LOGINS + events_demo.LOGINS


def example(name: str) -> dict[str, str]:
    """The variables a .env file sets (NAME=value lines; comments and blank lines set nothing)."""
    values: dict[str, str] = {}
    for line in (ROOT / name).read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2)
    return values


def settings_variables() -> set[str]:
    source = Path(project_settings.__file__).read_text()
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))


def test_the_development_example_names_no_outside_server():
    """Copying .env.example to .env, as its first line says, broke make run: it named db.example.org."""
    values = example(".env.example")
    assert "DATABASE_URL" not in values
    assert not any("example.org" in value for value in values.values())


@pytest.mark.e2e
def test_the_development_example_starts_the_portal_as_it_is():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.pop("DJANGO_EMBEDDED_DB", None)  # the example alone must be enough
    env.update(example(".env.example"))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--database", "default"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_example_lists_every_variable_the_settings_read():
    listed = set(example(".env.production.example")) | set(
        re.findall(r"^# ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.production.example").read_text(), re.M)
    )
    # Development and test switches only, never set in production.
    missing = (
        settings_variables() - listed - {"DJANGO_EMBEDDED_DB", "EMBEDDED_PG_DATA", "EMBEDDED_PG_DATABASE"}
    )
    assert missing == set()
    assert "DATABASE_URL" in listed and "DJANGO_SECRET_KEY" in listed  # the control: it reads the file


@pytest.mark.django_db
def test_load_demo_names_every_demo_login(capsys, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo")
    out = capsys.readouterr().out
    for _role, email, password in LOGINS:
        assert f"{email} / {password}" in out
    assert {email for _role, email, _password in LOGINS} >= {
        members_demo.DEMO_ADMIN_EMAIL,
        members_demo.DEMO_MEMBER_EMAIL,
        events_demo.ORGANISER_EMAIL,
    }


def test_the_readme_names_every_demo_login():
    readme = (ROOT / "README.md").read_text()
    for _role, email, password in LOGINS:
        assert email in readme and password in readme, email
