"""Follow fan-out: 1,000 members follow a city; an event there is published; ONE worker tells them all.

The event is published through events.services.events.event_publish, as staff would; that queues the fan-out
job (events.tasks.event_followers_notify) after commit, which queues one follow_mail_send job per
follower. One worker (`manage.py procrastinate worker`, as in production) runs all of it while a local
SMTP sink counts the mail. The figure is the seconds from publishing to the last mail in
the sink; the checks are that each follower got exactly one mail (distinct recipients = followers =
mails), that nothing arrived twice, that every job succeeded and one notification row exists per
follower.

`python -m tests.bench.follow` runs this part alone, on the tenth-size benchmark database.
"""

import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from tests.bench.mail import _cpu_seconds, _django, _wait, _worker
from tests.bench.server import prepare
from tests.helpers.servers import free_port

FOLLOWERS = 1_000
SLUG = "bench-follow"
CITY = "Följeby"
TITLE = "Följarfrukost"
BUDGET_SECONDS = 60.0

# The benchmark's members follow a city of their own; earlier runs' rows and the queue are cleared first.
SETUP = f"""
import django, json; django.setup()
from django.db import connection
from events.models import Event, Follow, FollowNotification
from members.models import Member

with connection.cursor() as cursor:
    cursor.execute("TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,"
                   " procrastinate_workers CASCADE")
Event.objects.filter(slug="{SLUG}").delete()
Follow.objects.filter(kind=Follow.Kind.CITY, city="{CITY}").delete()
members = list(Member.objects.filter(email__startswith="bench-", is_active=True).order_by("pk")[:{FOLLOWERS}])
Follow.objects.bulk_create([Follow(member=m, kind=Follow.Kind.CITY, city="{CITY}") for m in members])
print(json.dumps({{"followers": sorted(m.email for m in members)}}))
"""

# Publishing as staff would: a draft, then the service. Prints the wall-clock time just before.
PUBLISH = f"""
import django, json, time; django.setup()
from datetime import timedelta
from django.db import transaction
from django.utils import timezone
from events.models import Event
from events.services.events import event_publish

start = timezone.now() + timedelta(days=30)
event = Event.objects.create(title="{TITLE}", slug="{SLUG}", summary="Benchmark", start=start,
                             end=start + timedelta(hours=2), status=Event.Status.DRAFT, city="{CITY}")
published = time.time()
with transaction.atomic():
    event_publish(event=event)
print(json.dumps({{"published": published}}))
"""

RESULT = f"""
import django, json; django.setup()
from django.db import connection
from events.models import Event, Follow, FollowNotification
event = Event.objects.get(slug="{SLUG}")
with connection.cursor() as cursor:
    cursor.execute("SELECT task_name, status, count(*) FROM procrastinate_jobs"
                   " WHERE task_name IN ('event_followers_notify', 'follow_mail_send')"
                   " AND (args->>'event_id')::bigint = %s GROUP BY task_name, status", [event.pk])
    jobs = {{f"{{task}}:{{status}}": count for task, status, count in cursor.fetchall()}}
    # How long the fan-out job itself took (queueing a mail job per follower), from Procrastinate's log.
    cursor.execute("SELECT extract(epoch FROM max(e.at) - min(e.at)) FROM procrastinate_events e"
                   " JOIN procrastinate_jobs j ON j.id = e.job_id WHERE j.task_name = 'event_followers_notify'"
                   " AND e.type IN ('started', 'succeeded')")
    fan_out_seconds = float(cursor.fetchone()[0] or 0)
notifications = FollowNotification.objects.filter(event=event).count()
# Leave the benchmark data as it was: the page figures of the next run see no extra city or event.
event.delete()
Follow.objects.filter(kind=Follow.Kind.CITY, city="{CITY}").delete()
print(json.dumps({{"jobs": jobs, "notifications": notifications, "fan_out_seconds": fan_out_seconds}}))
"""  # noqa: S608 (a script of our own, with constants)

WORKER_READY = """
import django, json; django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM procrastinate_workers")
    print(json.dumps({"workers": cursor.fetchone()[0]}))
"""


class Sink:
    """Counts the followers' mails as they arrive: when (wall clock), to whom, with RFC 8058 headers or not."""

    def __init__(self):
        self.arrivals: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        if TITLE not in str(message["subject"]):
            return "250 OK"  # another job (a periodic reminder of the benchmark's own events)
        unsubscribe = bool(message["List-Unsubscribe"]) and bool(message["List-Unsubscribe-Post"])
        with self.lock:
            self.arrivals.append((time.time(), ",".join(envelope.rcpt_tos), unsubscribe))
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.arrivals)


def follow_fanout(env: dict[str, str]) -> dict:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    worker_env = {**env, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    worker = None
    try:
        followers = _django(worker_env, SETUP)["followers"]
        worker = _worker(worker_env)
        # The worker registers itself when it is up: the figure starts at publishing, not at Python start-up.
        ready = _wait(lambda: _django(worker_env, WORKER_READY)["workers"] >= 1, timeout=60)
        published = _django(worker_env, PUBLISH)["published"]
        done = _wait(lambda: sink.count() >= len(followers), timeout=BUDGET_SECONDS * 5)
        time.sleep(2)  # anything sent twice would arrive now
        cpu = _cpu_seconds(worker)
        result = _django(worker_env, RESULT)
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        controller.stop()

    arrivals = sorted(sink.arrivals)
    recipients = [rcpt for _at, rcpt, _unsubscribe in arrivals]
    report = {
        "followers": len(followers),
        "delivered": len(arrivals),
        "distinct": len(set(recipients)),
        "to_followers": len(set(recipients) & set(followers)),
        "with_unsubscribe": sum(1 for *_rest, unsubscribe in arrivals if unsubscribe),
        "seconds": (arrivals[-1][0] - published) if arrivals else float("inf"),
        "worker_cpu_ms_per_mail": 1000 * cpu / max(len(arrivals), 1),
        "jobs": result["jobs"],
        "notifications": result["notifications"],
        "fan_out_job_seconds": result["fan_out_seconds"],
        "finished": bool(ready and done),
    }
    report["exact"] = (
        report["finished"]
        and report["delivered"] == report["distinct"] == report["to_followers"] == FOLLOWERS
        and report["with_unsubscribe"] == FOLLOWERS
        and report["notifications"] == FOLLOWERS
        and report["jobs"] == {"event_followers_notify:succeeded": 1, "follow_mail_send:succeeded": FOLLOWERS}
    )
    return report


def failures(follows: dict) -> list[str]:
    found = []
    if not follows["exact"]:
        found.append(
            f"Follow fan-out: {follows['delivered']} delivered, {follows['distinct']} distinct, "
            f"{follows['to_followers']} to followers, {follows['with_unsubscribe']} with List-Unsubscribe, "
            f"of {follows['followers']} followers; {follows['notifications']} notification rows; "
            f"jobs {follows['jobs']}"
        )
    if follows["seconds"] > BUDGET_SECONDS:
        found.append(
            f"Follow fan-out: {follows['seconds']:.1f} s to tell {follows['followers']} followers with one "
            f"worker (budget {BUDGET_SECONDS:.0f} s)"
        )
    return found


def markdown(follows: dict) -> str:
    if not follows["exact"]:
        return "Follow fan-out: " + "; ".join(failures(follows))
    missed = " BUDGET MISSED." if follows["seconds"] > BUDGET_SECONDS else ""
    return (
        f"Follow fan-out: {follows['followers']} members follow a city; an event there is published and one "
        f"worker told them all in {follows['seconds']:.1f} s from publishing to the last mail in "
        f"the SMTP sink (budget {BUDGET_SECONDS:.0f} s): {follows['delivered']} mails, {follows['distinct']} "
        f"distinct recipients, each a follower, each with List-Unsubscribe, none twice; "
        f"{follows['notifications']} notification rows. The fan-out job (a mail job queued per follower) "
        f"took {follows['fan_out_job_seconds']:.1f} s of it. Worker CPU per mail: "
        f"{follows['worker_cpu_ms_per_mail']:.1f} ms (start-up included).{missed}"
    )


def main() -> int:
    env = prepare("otg_bench_tenth", 0.1)
    follows = follow_fanout(env)
    sys.stdout.write(markdown(follows) + "\n")
    return 1 if failures(follows) else 0


if __name__ == "__main__":
    sys.exit(main())
