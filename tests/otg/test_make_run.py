"""`make run`: the web server and a job worker together, links on its own port, Ctrl-C stops both.

A real `make run` on a free port against the test database; a demo member RSVPs through the real
view, and the worker writes the confirmation under EMAIL_FILE_PATH (var/mail/ in development).
"""

import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from members.demo import DEMO_MEMBER_EMAIL
from tests.helpers.servers import ROOT, Browser, database_url, free_port, sign_in, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def processes_in_session(session_id: int) -> list[str]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session_id and fields[0] != "Z":  # fields[3]: the session id
            found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
    return found


def test_make_run_serves_links_on_its_port_mails_within_seconds_and_stops_whole(settings, tmp_path):
    port = free_port()
    mail_dir = tmp_path / "mail"
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DATABASE_URL=database_url(settings.DATABASES["default"]),
        EMAIL_FILE_PATH=str(mail_dir),
        DJANGO_LOG_LEVEL="ERROR",
        # The demo's images go to this test's media folder, not the developer's var/media.
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
    make = subprocess.Popen(
        ["make", "run", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a terminal's process group: Ctrl-C reaches every process in it
    )
    base_url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return Browser(base_url).get("/healthz", timeout=2).status == 200
        except OSError:
            return False

    def pause() -> None:
        if make.poll() is not None:
            log.seek(0)
            raise AssertionError(f"make run exited with {make.returncode}: {log.read()[-3000:]}")
        time.sleep(0.5)

    try:
        wait_until(answers, timeout=300, what="make run to serve", poll=pause)

        # Links follow the port: the Site row (allauth's mails, the admin's "view on site"), .ics files.
        assert Site.objects.get(pk=settings.SITE_ID).domain == f"127.0.0.1:{port}"
        event = (
            Event.objects.filter(status=Event.Status.PUBLISHED, start__gt=timezone.now())
            .exclude(rsvps__member__email=DEMO_MEMBER_EMAIL)
            .order_by("start")
            .first()
        )
        calendar = Browser(base_url).get(reverse("events:event-ics", args=[event.slug]))
        assert f"{base_url}/" in calendar.body.replace("\r\n ", "")

        member = Browser(base_url)
        sign_in(member)
        started = time.monotonic()
        path = reverse("events:rsvp-create", args=[event.slug])
        reply = member.post(path, {"csrfmiddlewaretoken": member.cookie("csrftoken")})
        assert reply.status in (200, 302), reply.body[:2000]

        def confirmations() -> list[str]:
            texts = [f.read_text() for f in mail_dir.glob("*.log")] if mail_dir.exists() else []
            return [t for t in texts if f"To: {DEMO_MEMBER_EMAIL}" in t and event.title in t]

        wait_until(confirmations, timeout=10, what="the confirmation in the mail folder", poll=pause)
        seconds = time.monotonic() - started
        print(f"confirmation written {seconds:.2f} s after the RSVP")
        assert seconds < 5
        (confirmation,) = confirmations()
        assert f"{base_url}/" in confirmation.replace("=\n", "")
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGINT)  # Ctrl-C
        try:
            make.wait(timeout=30)
        finally:
            deadline = time.monotonic() + 15
            while processes_in_session(make.pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            left = processes_in_session(make.pid)
            for _ in left:
                os.killpg(make.pid, signal.SIGKILL)
            log.seek(0)
            output = log.read()
            log.close()
    assert left == [], f"left running after Ctrl-C: {left}"
    # It said what it was doing while a newcomer waited, and who to sign in as; Ctrl-C ends it quietly.
    assert "Loading the demo content..." in output
    assert f"{DEMO_MEMBER_EMAIL} / " in output
    assert "Error 130" not in output and "Error" not in output.split("Stop with Ctrl-C")[-1]


def test_make_stop_stops_everything_make_run_started(settings, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DATABASE_URL=database_url(settings.DATABASES["default"]),
        DJANGO_LOG_LEVEL="ERROR",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    port = free_port()
    make = subprocess.Popen(
        ["make", "run", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def answers() -> bool:
        if make.poll() is not None:
            raise AssertionError(f"make run exited with {make.returncode}")
        try:
            return Browser(f"http://127.0.0.1:{port}").get("/healthz", timeout=2).status == 200
        except OSError:
            return False

    try:
        wait_until(answers, timeout=300, what="make run to serve", poll=lambda: time.sleep(0.5))
        assert processes_in_session(make.pid)
        # From another terminal; its embedded PostgreSQL is not the one this test runs on.
        stop = subprocess.run(
            ["make", "stop"],
            cwd=ROOT,
            env={**env, "EMBEDDED_PG_DATA": str(tmp_path / "pg")},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert stop.returncode == 0, stop.stdout + stop.stderr
        assert "Stopped make run" in stop.stdout
        make.wait(timeout=30)
        deadline = time.monotonic() + 15
        while processes_in_session(make.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = processes_in_session(make.pid)
    finally:
        if processes_in_session(make.pid):
            os.killpg(make.pid, signal.SIGKILL)
    assert left == [], f"left running after make stop: {left}"


def test_make_run_leaves_no_worker_behind_when_the_server_cannot_start(settings):
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DATABASE_URL=database_url(settings.DATABASES["default"]),
        DJANGO_LOG_LEVEL="ERROR",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),  # the demo's images: this test's media folder
    )
    with socket.socket() as taken:  # someone else already serves on the port
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        make = subprocess.Popen(
            ["make", "run", "HOST=127.0.0.1", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            assert make.wait(timeout=300) != 0
        finally:
            if make.poll() is None:
                os.killpg(make.pid, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while processes_in_session(make.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = processes_in_session(make.pid)
    if left:
        os.killpg(make.pid, signal.SIGKILL)
    assert left == [], f"left running after the server failed: {left}"
