"""The health check of a kept connection: no round trip while the connection is good, and a
connection the server dropped is noticed (the full restart is in test_database_down.py)."""

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_a_good_connection_is_usable_without_a_query(monkeypatch):
    connection.ensure_connection()
    asked = []
    monkeypatch.setattr(connection.connection, "cursor", lambda *a, **k: asked.append(a))
    monkeypatch.setattr(connection.connection, "execute", lambda *a, **k: asked.append(a))
    assert connection.is_usable()
    assert asked == []


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_not_usable():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    assert not connection.is_usable()
    connection.close()
    connection.ensure_connection()  # what Django does next: a new connection
    assert connection.is_usable()
