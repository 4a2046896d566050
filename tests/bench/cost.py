"""CPU cost per request of each benchmark page, in-process and one at a time: what a page costs a worker.

wrk's figures follow whatever else the machine runs; CPU time of one process does much less. Run inside
the benchmark database's environment (production settings), after `make bench` or its prepare step:

    DJANGO_EMBEDDED_DB=true DJANGO_DEBUG=false EMBEDDED_PG_DATABASE=otg_bench \
        .venv/bin/python -m tests.bench.cost [--requests 500] [--profile "event page"]

Each request goes through Django's WSGI handler with the whole middleware stack, as gunicorn's worker
calls it, as an anonymous visitor without cookies. Reported per page: mean and p95 of the process's CPU
time and of the wall time (the wall time includes PostgreSQL's work and the round trips to it), SQL
statements per request (the database cache's reads and writes included), and the ratio to the floor.
"""

import argparse
import io
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otg.settings")


def environ(path: str) -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "HTTP_ACCEPT_LANGUAGE": "sv,en;q=0.5",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def request(handler, path: str) -> tuple[str, bytes]:
    status = []

    def start_response(code, headers, exc_info=None):
        status.append(code)

    result = handler(environ(path), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return status[0], body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--profile", default="", help="the name of one page to profile with cProfile")
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()
    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from tests.bench.pages import PAGES

    handler = get_wsgi_application()
    statements = []
    counting = connection.execute_wrapper(
        lambda execute, sql, *rest: statements.append(sql) or execute(sql, *rest)
    )
    counting.__enter__()
    pages = [
        page
        for page in PAGES
        if not args.only or page.name in args.only.split(",") or page.name.startswith("floor")
    ]
    rows = []
    for page in pages:
        path = page.path()
        for _ in range(5):  # warm: the fragments and the generations, as in a running worker
            code, _body = request(handler, path)
        if args.profile == page.name:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                request(handler, path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
            return
        cpu, wall = [], []
        statements.clear()
        for _ in range(args.requests):
            started_cpu, started = time.process_time(), time.perf_counter()
            request(handler, path)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        rows.append((page.name, code, len(statements) / args.requests, cpu, wall))
    floor = statistics.mean(rows[0][3])
    print(
        f"{'page':24} {'status':7} {'SQL':>4} {'cpu mean':>9} {'cpu p95':>8} {'wall mean':>10} {'wall p95':>9} {'floor/cpu':>9}"
    )
    for name, code, sql, cpu, wall in rows:
        p95 = statistics.quantiles(cpu, n=20)[-1]
        wall_p95 = statistics.quantiles(wall, n=20)[-1]
        print(
            f"{name:24} {code:7} {sql:4.1f} {statistics.mean(cpu):9.3f} {p95:8.3f} "
            f"{statistics.mean(wall):10.3f} {wall_p95:9.3f} {floor / statistics.mean(cpu):9.1%}"
        )


if __name__ == "__main__":
    main()
