"""Production settings: the documented environment variables make `check --deploy` silent."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-5f1c0e2a9b7d4c3e8f6a1b2c3d4e5f60718293a4",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_COOKIES": "true",
    "DJANGO_BEHIND_PROXY": "true",
    "SITE_URL": "https://portal.example.org",
}


def run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests allow async-unsafe ORM calls in this process; a deployment never does.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | extra_env
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = run_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_with_development_defaults():
    result = run_check({"DJANGO_DEBUG": "true"})
    assert result.returncode != 0
    assert "security.W" in result.stdout + result.stderr
