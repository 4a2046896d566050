"""The RSVP storm: 1,000 distinct signed-in members RSVP through gunicorn, 50 at a time, to capacity 100."""

import json
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.bench.server import BIN, ROOT

REQUESTS, CONCURRENCY, CAPACITY = 1_000, 50, 100
SLUG = "bench-storm"


def _django(env: dict[str, str], code: str) -> dict:
    script = f"import django, json; django.setup()\n{code}"
    result = subprocess.run(
        [str(BIN / "python"), "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


SETUP = f"""
from datetime import timedelta
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone
from events.models import Event
from members.models import Member

Event.objects.filter(slug="{SLUG}").delete()
start = timezone.now() + timedelta(days=30)
Event.objects.create(title="RSVP-storm", slug="{SLUG}", summary="Benchmark", start=start,
                     end=start + timedelta(hours=2), capacity={CAPACITY}, status=Event.Status.PUBLISHED, city="Umeå")
clients = []
for member in Member.objects.filter(email__startswith="bench-").order_by("pk")[:{REQUESTS}]:
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    clients.append({{"session": session.session_key, "csrf": _get_new_csrf_string()}})
print(json.dumps({{"clients": clients}}))
"""

COUNT = f"""
from events.models import Event, Rsvp
event = Event.objects.get(slug="{SLUG}")
rsvps = Rsvp.objects.filter(event=event)
print(json.dumps({{"going": rsvps.filter(status="going").count(),
                  "waitlisted": rsvps.filter(status="waitlisted").count(),
                  "counter_going": event.going_count, "counter_waitlisted": event.waitlist_count}}))
"""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(url: str, client: dict) -> int:
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": client["csrf"]}).encode()
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Cookie": f"sessionid={client['session']}; csrftoken={client['csrf']}"},
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def rsvp_storm(base: str, env: dict[str, str]) -> dict:
    clients = _django(env, SETUP)["clients"]
    url = f"{base}/evenemang/{SLUG}/anmalan/"
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        statuses = list(pool.map(lambda client: _post(url, client), clients))
    elapsed = time.perf_counter() - started
    counts = _django(env, COUNT)
    errors = sum(1 for status in statuses if status != 302)
    exact = (
        counts["going"] == CAPACITY
        and counts["waitlisted"] == len(clients) - CAPACITY
        and counts["counter_going"] == CAPACITY
        and counts["counter_waitlisted"] == len(clients) - CAPACITY
        and errors == 0
    )
    return {
        "requests": len(clients),
        "concurrency": CONCURRENCY,
        "capacity": CAPACITY,
        "going": counts["going"],
        "waitlisted": counts["waitlisted"],
        "errors": errors,
        "exact": exact,
        "rps": len(clients) / elapsed,
    }
