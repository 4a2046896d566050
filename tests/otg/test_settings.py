"""Production settings never start a database server nor sign with the development key: without
DATABASE_URL or DJANGO_SECRET_KEY every entry point refuses, at once, with one sentence that says what to
set."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers.servers import GUNICORN, ROOT, database_url, free_port

pytestmark = pytest.mark.e2e

SENTENCE = "DATABASE_URL is not set: set it to the production database"
PRODUCTION_KEY = "a-long-random-production-secret-5f1c0e2a9b7d4c3e8f6a1b2c3d4e5f60718293a4"
MFA_KEY = "Xx2v5o0cC9xq1u8V0m3a6b7c8d9e0f1g2h3i4j5k6l8="


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_EMBEDDED_DB", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="otg.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=PRODUCTION_KEY,
        MFA_ENCRYPTION_KEYS=MFA_KEY,
        # Were the embedded server started anyway, it would be made here.
        EMBEDDED_PG_DATA=str(tmp_path / "pg"),
    )
    return env | extra


def test_manage_py_without_database_url_refuses_with_one_sentence(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert SENTENCE in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "pg").exists()  # no server was started


@pytest.mark.django_db
def test_manage_py_with_database_url_starts(tmp_path):
    # The control: the same production environment with DATABASE_URL set passes the check.
    env = _production_env(tmp_path, DATABASE_URL=database_url(settings.DATABASES["default"]))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "pg").exists()


def test_gunicorn_without_database_url_stops_at_once(tmp_path):
    started = time.monotonic()
    result = subprocess.run(
        [str(GUNICORN), "otg.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{free_port()}"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    # The workers fail to boot, and gunicorn gives up instead of starting them again and again.
    assert result.returncode != 0
    assert time.monotonic() - started < 30
    assert SENTENCE in result.stderr
    assert not (tmp_path / "pg").exists()


def test_development_may_use_the_embedded_server(tmp_path):
    # manage.py under DJANGO_DEBUG=true (what make run does) starts the private server.
    env = _production_env(tmp_path, DJANGO_DEBUG="true")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--database", "default"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pg" / "PG_VERSION").exists()
    stop = "import sys, pathlib, otg.embedded_db as e; e.stop_server(pathlib.Path(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", stop, str(tmp_path / "pg")], cwd=ROOT, env=env, timeout=60)


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.django_db
def test_manage_py_without_secret_key_refuses_and_names_it(tmp_path):
    """The committed development key worked in production: anyone could sign address confirmations."""
    env = _production_env(tmp_path, DATABASE_URL=database_url(settings.DATABASES["default"]))
    del env["DJANGO_SECRET_KEY"]
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_gunicorn_without_secret_key_stops(tmp_path):
    env = _production_env(tmp_path, DATABASE_URL="postgres://nobody@/nothing?host=/nonexistent")
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [str(GUNICORN), "otg.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{free_port()}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("switch", ["DJANGO_DEBUG", "DJANGO_EMBEDDED_DB"])
def test_the_development_key_fails_the_deploy_check(tmp_path, switch):
    """A development switch left on in production gives the development key: the deploy check says so."""
    url = database_url(settings.DATABASES["default"])
    env = _production_env(tmp_path, DATABASE_URL=url, **{switch: "true"})
    del env["DJANGO_SECRET_KEY"]
    result = _manage(env, "check", "--deploy")
    assert "security.W009" in result.stdout + result.stderr
    # The control: the same environment with a real key does not warn about the key.
    env["DJANGO_SECRET_KEY"] = PRODUCTION_KEY
    result = _manage(env, "check", "--deploy")
    assert "security.W009" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_manage_py_without_mfa_keys_refuses_and_names_them(tmp_path):
    """Second-factor secrets are encrypted with keys from the environment; production must set them."""
    env = _production_env(tmp_path, DATABASE_URL=database_url(settings.DATABASES["default"]))
    del env["MFA_ENCRYPTION_KEYS"]
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEYS is not set" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
