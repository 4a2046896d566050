"""The interest storm: 1,000 distinct signed-in members mark "Jag vill vara med" on one session at once.

Through gunicorn and the real view, 50 at a time, on a fresh session of the benchmark's unconference
(tests/bench/data.py) each storm. Exact when every answer is the view's redirect, the session has one
interest row per member and its count equals the rows; true when the board and the session's page, as
a visitor gets them (kept whole, otg.common.pages), show that count after the storm. The rate is
judged as a share of the signed-in floor (tests/bench/storm.py) measured in the same run.

`python -m tests.bench.interest` runs it alone on the tenth-size benchmark database, with its floor.
"""

import asyncio
import sys
import time

from tests.bench import cpu
from tests.bench.data import UNCONFERENCE
from tests.bench.server import gunicorn, manage, prepare
from tests.bench.storm import SIGNED_IN, STORMS, _database, _django, _get, _storm, signed_in_floor

TITLE = "Stormens session"

SETUP = f"""
from events.models import Event, Session

event = Event.objects.get(slug="{UNCONFERENCE}")
Session.objects.filter(event=event, title="{TITLE}").delete()
session = Session.objects.create(event=event, title="{TITLE}", pitch="Benchmark.")
print(json.dumps({{"session": session.pk}}))
"""

COUNT = """
from events.models import Session, SessionInterest

session = Session.objects.get(pk={pk})
print(json.dumps({{"rows": SessionInterest.objects.filter(session=session).count(),
                  "counter": session.interest_count}}))
"""

# What the board and the session's page say of the session's interest, in the benchmark's language (sv).
SHOWN = """
from django.utils import translation
from django.utils.translation import ngettext
from events.models import Session

translation.activate("sv")
session = Session.objects.select_related("event").get(pk={pk})
n = session.interest_count
print(json.dumps({{"text": ngettext("%(n)s wants to take part", "%(n)s want to take part", n) % {{"n": n}},
                  "session_path": session.get_absolute_url(),
                  "board_path": f"/evenemang/{{session.event.slug}}/sessioner/"}}))
"""


def truth_check(base: str, env: dict[str, str], pk: int) -> list[str]:
    """What the board and the session's page show of the count, against the database."""
    shown = _django(env, SHOWN.format(pk=pk))
    problems = []
    for _ in range(6):  # several requests: each may reach another worker, with its own kept pages
        page = " ".join(_get(base, shown["session_path"]).split())
        if shown["text"] not in page:
            problems.append(f"the session's page lacks {shown['text']!r}")
        board = " ".join(_get(base, shown["board_path"]).split())
        card = board.split(f'/sessioner/{pk}/"', 1)[-1].split("</li>", 1)[0]
        if shown["text"] not in card:
            problems.append(f"the board's card lacks {shown['text']!r}")
    return sorted(set(problems))


def _one_storm(base: str, env: dict[str, str]) -> dict:
    pk = _django(env, SETUP)["session"]
    clients = _django(env, SIGNED_IN)["clients"]
    path = f"/evenemang/{UNCONFERENCE}/sessioner/{pk}/vill/"
    truth_check(base, env, pk)  # the pages kept in the workers before the storm: a stale one would show
    before = cpu.snapshot(base, _database(env))
    started = time.perf_counter()
    statuses = asyncio.run(_storm(base, path, clients))
    elapsed = time.perf_counter() - started
    spent = cpu.spent(before, cpu.snapshot(base, _database(env)), len(clients))
    counts = _django(env, COUNT.format(pk=pk))
    errors = sum(1 for status in statuses if status != 302)
    return {
        "requests": len(clients),
        "rows": counts["rows"],
        "counter": counts["counter"],
        "errors": errors,
        "exact": counts["rows"] == counts["counter"] == len(clients) and errors == 0,
        "rps": len(clients) / elapsed,
        "untrue": truth_check(base, env, pk),
        "cpu_ms": spent,
    }


def interest_storm(base: str, env: dict[str, str]) -> dict:
    """STORMS storms, each on a fresh session; the median one's numbers, exact only if all were."""
    storms = sorted((_one_storm(base, env) for _ in range(STORMS)), key=lambda storm: storm["rps"])
    median = dict(storms[len(storms) // 2])
    median["exact"] = all(storm["exact"] for storm in storms)
    median["errors"] = sum(storm["errors"] for storm in storms)
    median["all_rps"] = [round(storm["rps"]) for storm in storms]
    median["untrue"] = sorted({problem for storm in storms for problem in storm["untrue"]})
    return median


def markdown(storm: dict, floor: dict) -> str:
    return (
        f"Interest storm: {storm['requests']} members mark “Jag vill vara med” on one session, "
        f"50 at a time: {storm['rows']} interest rows, count {storm['counter']}, {storm['errors']} errors, "
        f"{storm['rps']:.0f} marks/s (median of {', '.join(map(str, storm['all_rps']))}), "
        f"{storm['rps'] / floor['rps']:.0%} of the signed-in floor (budget 30 %). "
        + (
            "After each storm the board and the session's page showed the count the database holds."
            if not storm["untrue"]
            else "Untrue after a storm: " + "; ".join(storm["untrue"]) + "."
        )
        + f" CPU per mark: gunicorn {storm['cpu_ms']['gunicorn']:.1f} ms, "
        f"PostgreSQL {storm['cpu_ms']['postgres']:.1f} ms."
    )


def main() -> int:
    env = prepare("otg_bench_tenth", 0.1)
    manage(env, "collectstatic", "--noinput")
    with gunicorn(env) as base:
        floor = signed_in_floor(base, env)
        storm = interest_storm(base, env)
    sys.stdout.write(markdown(storm, floor) + "\n")
    return 0 if storm["exact"] and not storm["untrue"] else 1


if __name__ == "__main__":
    sys.exit(main())
