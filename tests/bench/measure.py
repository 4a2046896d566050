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
        results[page.name] = {"path": path, "status": response.status_code, "queries": len(queries)}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
