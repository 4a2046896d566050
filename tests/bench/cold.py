"""The cold mix: 9,000 distinct event, interview and member pages in random order, from cold caches.

Every other page figure of `make bench` measures a page people ask for again and again, so its
fragments (or the whole page) are kept. A first visit to a page nobody has asked for since the last
write renders it from the database: a fresh server, a crawler, the long tail. The mix asks for each of
9,000 pages once (all 3,000 events, all 1,000 interviews, 5,000 public profiles), in an order fixed
by a seed, through a gunicorn started for it, and reports its rate as a share of the bare view
measured on that server just before.

`.venv/bin/python -m tests.bench.cold [--requests 200] [--kind event]` (after `make bench` has built the
benchmark database) renders distinct pages in-process instead, through Django's WSGI handler and the
whole middleware stack, and shows where a first render's time goes: CPU, SQL statements and Python
calls per kind of page (the calls do not move with the machine's load), each template's own time, and
cProfile's costliest functions (also written to var/bench/cold.prof).
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from tests.bench import cpu
from tests.bench.load import run_wrk
from tests.bench.server import BIN, ROOT, gunicorn, manage, production_env

LUA = Path(__file__).with_name("cold.lua")
SIZES = {"event": 3_000, "interview": 1_000, "member": 5_000}
SEED = 2026

PATHS = f"""
import json
from events.models import Event
from interviews.models import Interview
from members.models import Member

sizes = {SIZES!r}
paths = {{
    "event": [e.get_absolute_url() for e in Event.objects.visible().order_by("pk")[: sizes["event"]]],
    "interview": [i.get_absolute_url() for i in Interview.objects.published().order_by("pk")[: sizes["interview"]]],
    "member": [m.get_absolute_url() for m in Member.objects.public().order_by("pk")[: sizes["member"]]],
}}
print(json.dumps(paths))
"""


def paths(env: dict[str, str]) -> dict[str, list[str]]:
    """Every page of the mix by kind, found through the apps' own QuerySets."""
    script = f"import django; django.setup()\n{PATHS}"
    result = subprocess.run(
        [str(BIN / "python"), "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def shuffled(by_kind: dict[str, list[str]]) -> list[str]:
    mix = [path for kind in sorted(by_kind) for path in by_kind[kind]]
    random.Random(SEED).shuffle(mix)
    return mix


def run_mix(base: str, mix: list[str], *, connections: int = 8) -> dict:
    """wrk (one thread, ``connections`` at a time) asks for each path once and stops."""
    listing = ROOT / "var" / "bench" / "cold-paths.txt"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text("\n".join(mix) + "\n")
    result = subprocess.run(
        [
            "wrk",
            "--threads=1",
            f"--connections={connections}",
            "--duration=600s",  # an upper bound: it stops once every page is answered
            "--timeout=10s",
            f"--script={LUA}",
            base + "/",
            "--",
            str(listing),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    numbers = json.loads([line for line in result.stdout.splitlines() if line.startswith("{")][-1])
    seconds = numbers["duration_us"] / 1_000_000
    return {
        "pages": numbers["pages"],  # fewer than asked for only if the upper bound cut the run short
        "asked": len(mix),
        "rps": numbers["pages"] / seconds,
        "seconds": seconds,
        "p50_ms": numbers["p50_us"] / 1000,
        "p95_ms": numbers["p95_us"] / 1000,
        "errors": numbers["errors"] + numbers["non2xx"],
    }


def cold_mix(env: dict[str, str], *, seconds: int = 5) -> dict:
    """A gunicorn of its own (every worker's fragments and pages empty), the floor on it, then the mix."""
    by_kind = paths(env)
    mix = shuffled(by_kind)
    database = env.get("EMBEDDED_PG_DATABASE") or env["DATABASE_URL"].rsplit("/", 1)[-1]
    # The mix lasts minutes: with the default 60 s a worker's PostgreSQL connection closes and opens
    # anew a few times, and /proc no longer shows the closed ones' CPU. Keeping each for the whole run
    # saves a handful of reconnects and nothing else.
    env = {**env, "DATABASE_CONN_MAX_AGE": "1800"}
    with gunicorn(env) as base:
        run_wrk(base + "/livez", connections=8, seconds=1, threads=2)
        floor = run_wrk(base + "/livez", connections=8, seconds=seconds, threads=2)
        before, wrk_before = cpu.snapshot(base, database), resource.getrusage(resource.RUSAGE_CHILDREN)
        result = run_mix(base, mix)
        spent = cpu.spent(before, cpu.snapshot(base, database), len(mix))
        wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The load generator is wrk, a child process, not this one.
    spent["load generator"] = (
        1000
        * (wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime - wrk_before.ru_stime)
        / len(mix)
    )
    result["cpu_ms"] = spent
    result["floor_rps"] = floor["rps"]
    result["ratio"] = result["rps"] / floor["rps"]
    result["kinds"] = {kind: len(kind_paths) for kind, kind_paths in by_kind.items()}
    return result


def markdown(result: dict) -> str:
    spent = result["cpu_ms"]
    kinds = ", ".join(f"{count:,} {kind} pages" for kind, count in result["kinds"].items())
    return (
        f"Cold mix: {result['pages']:,} distinct pages ({kinds}) in random order, each asked for once, "
        f"8 connections, from a freshly started gunicorn: {result['rps']:.0f} req/s, "
        f"{result['ratio']:.1%} of the bare view's {result['floor_rps']:.0f} req/s on that server just "
        f"before (budget 10 %); p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
        f"{result['errors']} errors. CPU per page: gunicorn {spent['gunicorn']:.1f} ms, PostgreSQL "
        f"{spent['postgres']:.1f} ms, wrk {spent['load generator']:.2f} ms; {spent['busy']:.0%} of all cores busy."
    )


# --- In-process: where a first render's time goes -------------------------------------------------


def _template_clock():
    """Time each template's own rendering, by name: a block counts for the template that filled it, and
    what an include or a parent takes is theirs. Returns the totals (seconds) and a switch to stop."""
    from django.template.base import Template
    from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode

    own = defaultdict(float)
    stack: list[list] = []
    originals = (Template._render, BlockNode.render)

    def timed(name: str, render, *args):
        started = time.process_time()
        stack.append([name, 0.0])
        try:
            return render(*args)
        finally:
            name, children = stack.pop()
            spent = time.process_time() - started
            own[name] += spent - children
            if stack:
                stack[-1][1] += spent

    def template_render(self, context):
        return timed(self.origin.template_name, originals[0], self, context)

    def block_render(self, context):
        blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
        block = (blocks and blocks.get_block(self.name)) or self
        return timed(f"{block.origin.template_name} {{% block {self.name} %}}", originals[1], self, context)

    def stop() -> None:
        Template._render, BlockNode.render = originals

    Template._render, BlockNode.render = template_render, block_render
    return own, stop


def _render_all(handler, paths: list[str]) -> list[float]:
    from tests.bench.cost import request

    cpu = []
    for path in paths:
        started = time.process_time()
        status, _body = request(handler, path)
        cpu.append((time.process_time() - started) * 1000)
        assert status.startswith("200"), (path, status)
    return cpu


def profile(requests: int, top: int, only: str) -> None:
    """Three passes over distinct pages of each kind: plain CPU and SQL, each template's own time, and
    cProfile (each pass on pages the others have not rendered, so every render is a first one)."""
    import cProfile
    import pstats

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otg.settings")
    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    handler = get_wsgi_application()
    by_kind = json.loads(_in_process_paths())
    for kind_paths in by_kind.values():  # warm the process: templates compiled, URLs resolved, menus
        _render_all(handler, kind_paths[-20:])
    statements = []

    def counting(execute, sql, *rest):
        statements.append(sql)
        return execute(sql, *rest)

    print(f"{'kind':10} {'CPU ms mean':>12} {'median':>7} {'p95':>7} {'SQL':>5}")
    for kind, kind_paths in by_kind.items():
        statements.clear()
        with connection.execute_wrapper(counting):
            cpu = _render_all(handler, kind_paths[:requests])
        p95 = statistics.quantiles(cpu, n=20)[-1]
        print(
            f"{kind:10} {statistics.mean(cpu):12.2f} {statistics.median(cpu):7.2f} {p95:7.2f} "
            f"{len(statements) / requests:5.1f}"
        )
    print("\nEach template's own CPU, ms per page (a block counts for the template that fills it):")
    for kind, kind_paths in by_kind.items():
        own, stop = _template_clock()
        _render_all(handler, kind_paths[requests : 2 * requests])
        stop()
        print(f"  {kind}:")
        for name, seconds in sorted(own.items(), key=lambda item: -item[1])[:12]:
            print(f"    {1000 * seconds / requests:7.3f}  {name}")
    # Python calls per page: unlike CPU time, they do not move with what else the machine runs.
    merged = None
    print(f"\n{'kind':10} {'Python calls per page':>22}")
    for kind, kind_paths in by_kind.items():
        if only and kind != only:
            continue
        profiler = cProfile.Profile(
            time.process_time
        )  # CPU: the waits on PostgreSQL are not ours to cut here
        profiler.enable()
        _render_all(handler, kind_paths[2 * requests : 3 * requests])
        profiler.disable()
        stats = pstats.Stats(profiler)
        print(f"{kind:10} {stats.total_calls / requests:22,.0f}")
        merged = stats if merged is None else merged.add(stats)
    merged.dump_stats(ROOT / "var" / "bench" / "cold.prof")  # for pstats, snakeviz and the like
    print()
    merged.sort_stats("tottime").print_stats(top)
    merged.sort_stats("cumulative").print_stats(top)


def _in_process_paths() -> str:
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        exec(PATHS, {})  # noqa: S102 (our own query text, shared with the subprocess above)
    return out.getvalue().strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="distinct pages per kind")
    parser.add_argument("--top", type=int, default=40, help="functions shown by cProfile")
    parser.add_argument("--kind", default="", choices=["", *SIZES], help="profile this kind of page only")
    args = parser.parse_args()
    if os.environ.get("EMBEDDED_PG_DATABASE") or os.environ.get("DATABASE_URL"):
        profile(args.requests, args.top, args.kind)
        return 0
    # Not yet in the benchmark's environment: run again inside it (production settings, its database
    # and its collected static files), as gunicorn runs in `make bench`.
    env = production_env("otg_bench")
    env.setdefault("DJANGO_EMBEDDED_DB", "true")
    manage(env, "collectstatic", "--noinput")
    return subprocess.run(
        [str(BIN / "python"), "-m", "tests.bench.cold", *sys.argv[1:]], cwd=ROOT, env=env
    ).returncode


if __name__ == "__main__":
    sys.exit(main())
