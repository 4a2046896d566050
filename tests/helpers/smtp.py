"""A real SMTP server on loopback (aiosmtpd) and real job workers (`manage.py procrastinate worker`)."""

import asyncio
import email
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy

from aiosmtpd.controller import Controller

from tests.helpers.servers import ROOT, database_url, free_port, portal_env


class Inbox:
    """What the SMTP server accepted. It can refuse addresses for good (550) and hold a delivery."""

    def __init__(self):
        self.envelopes = []
        self.refused: set[str] = set()
        self.hold = False  # hold the next DATA until `released` is set; it is then answered 421
        self.hold_accepted = False  # keep the next message, then hold its 250 until `released` is set
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hold:
            self.hold = False
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "421 4.3.0 Try again later"  # the client is gone by now: nothing was accepted
        self.envelopes.append(envelope)
        if self.hold_accepted:  # a crash after the server took the message, before the sender knew
            self.hold_accepted = False
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]

    def subjects(self) -> list[str]:
        return [str(m["subject"]) for m in self.messages()]


@contextmanager
def smtp_server(port: int | None = None, inbox: Inbox | None = None) -> Iterator[tuple[int, Inbox]]:
    inbox = inbox or Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def worker_env(database: dict, smtp_port: int, **extra: str) -> dict[str, str]:
    """A production worker's environment: the test database, SMTP on loopback, a fast heartbeat."""
    return portal_env(
        DATABASE_URL=database_url(database),
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        EMAIL_TIMEOUT="5",
        JOBS_HEARTBEAT_SECONDS="1",
        DJANGO_LOG_LEVEL="ERROR",
        **extra,
    )


@contextmanager
def worker(env: dict[str, str], *options: str) -> Iterator[subprocess.Popen]:
    """A real worker process (as systemd runs it); stopped with SIGTERM, or SIGKILL if it hangs."""
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (a file, not a pipe that could fill up)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", *options],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.log = log
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()


def worker_log(process: subprocess.Popen) -> str:
    process.log.seek(0)
    return process.log.read()[-3000:]


def wait_for(condition, *, timeout: float, what: str, processes: tuple = ()) -> None:
    """Check ``condition`` every 0.1 s until it holds; fail early if a worker died on its own."""
    deadline = time.monotonic() + timeout
    while not condition():
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(f"worker exited with {process.returncode}: {worker_log(process)}")
        if time.monotonic() > deadline:
            logs = "\n".join(worker_log(p) for p in processes)
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{logs}")
        time.sleep(0.1)
