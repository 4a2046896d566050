"""Run inside the benchmark database's settings: SQL queries and HTML size per page, as JSON on stdout."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otg.settings")


def main() -> None:
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.bench.pages import PAGES

    client = Client(HTTP_HOST="localhost")
    results = {}
    for page in PAGES:
        path = page.path()
        client.get(path)  # warm caches the way a running server would have them
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        results[page.name] = {
            "path": path,
            "status": response.status_code,
            "queries": len(queries),
            "cached_ms": milliseconds(client, path, clear=False),
            "uncached_ms": milliseconds(client, path, clear=True),
        }
    json.dump(results, sys.stdout)


def milliseconds(client, path: str, *, clear: bool) -> float:
    """One request's time in-process (median of five, one at a time), with the per-worker fragments
    kept or cleared first: what the fragment cache is worth on this page. Cleared, it is also the
    time of a search nobody has made since the content last changed; the load test measures a
    search people repeat.
    """
    import statistics
    import time

    from django.core.cache import caches

    times = []
    for _ in range(5):
        if clear:
            caches["template_fragments"].clear()
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
