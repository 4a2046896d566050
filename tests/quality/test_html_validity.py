"""The Nu Html Checker finds no error on any page the axe check visits, in Swedish and English, nor in the
CSS. axe reads the page as a browser repaired it; the checker reads what we sent."""

import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers.pages import PAGES, USERS

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def check(vnu: list[str], *args: str) -> list[dict]:
    """The checker's error messages on the given files (warnings and notes left aside)."""
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", "--stdout", "--exit-zero-always", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return [m for m in json.loads(result.stdout)["messages"] if m["type"] in {"error", "non-document-error"}]


def readable(messages: list[dict], names: dict[str, str]) -> list[str]:
    return [
        f"{names.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        f" [{m.get('extract', '').strip()[:80]}]"
        for m in messages
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_is_valid_html(vnu, demo, client, sign_in_client, tmp_path, language):
    names = {}
    for number, spec in enumerate(PAGES):
        client.logout()
        if spec.as_user:
            sign_in_client(USERS[spec.as_user]())
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        path = spec.path() if callable(spec.path) else spec.path
        response = client.get(path)
        assert response.status_code in {200, 404}, f"{spec.name} ({path}) answered {response.status_code}"
        file = tmp_path / f"page-{number}.html"
        file.write_bytes(response.content)
        names[file.name] = f"{spec.name} ({path})"
    messages = check(vnu, "--html", *map(str, sorted(tmp_path.glob("*.html"))))
    assert not messages, "\n".join(["The Nu Html Checker found:", *readable(messages, names)])


def test_stylesheets_are_valid_css(vnu):
    sheets = sorted((ROOT / "static").rglob("*.css"))
    assert sheets
    messages = check(vnu, "--css", *map(str, sheets))
    assert not messages, "\n".join(["The Nu Html Checker found:", *readable(messages, {})])


def test_checker_reports_a_broken_page(vnu, tmp_path):
    """The control: the same command finds real errors, so a clean result above means something."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="sv"><head><title>t</title></head><body><p><div></p>'
        '<time datetime="2026-11-27T10:00:00.123456+01:00">x</time></body></html>'
    )
    sheet = tmp_path / "broken.css"
    sheet.write_text("a { color: red; }\n<<<<<<< HEAD\nb { colr: blue; }\n")
    assert len(check(vnu, "--html", str(page))) >= 2
    assert check(vnu, "--css", str(sheet))
