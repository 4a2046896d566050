"""Fuzz every URL pattern: malformed paths, query strings and form fields never give a 500.

Each pattern of the resolver is fuzzed as an anonymous visitor and as a signed-in member: a path drawn
from the pattern's own regex (so int, slug, str, path and uuid converters all get values, odd ones
included), a nasty query string, then two POSTs of nasty form fields, one without a CSRF token (always
refused, nothing written) and one with a valid token (never a 500; when refused, nothing written).
Every refusal must be a 4xx page in the site's layout. New URLs join by themselves.
"""

import re
from functools import cache
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.helpers.endpoints import endpoints

pytestmark = pytest.mark.django_db

CSRF_SECRET = "Fuzz" * 8  # 32 characters of the token alphabet: valid as cookie and form value

NASTY = st.sampled_from(
    [
        "",
        "\x00",
        "a\x00b",
        "x" * 5000,
        "ä" * 3000,
        "\u202e\u200b\ufeff",
        "\U0001d518\U0001d52b\U0001d526 \U0001f642",
        "-1",
        "0",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "true",
        "[]",
        "{}",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%00",
        "admin@example.org",
        "https://evil.example/",
        "//evil.example",
    ]
)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
VALUE = st.one_of(NASTY, TEXT)
COMMON_NAMES = ["next", "q", "page", "lang", "language", "email", "login", "password", "name", "key", "code"]


def name_strategy(names: list[str]):
    return st.one_of(st.sampled_from(names), TEXT.filter(bool))


def form_strategy(names: list[str]):
    # Lists give a field several values; wrong types arrive as text anyway over HTTP.
    return st.dictionaries(name_strategy(names), st.one_of(VALUE, st.lists(VALUE, max_size=3)), max_size=6)


def path_strategy(regex: str):
    """Paths the pattern matches: drawn from its regex, or with a parameter replaced by a nasty value."""
    compiled = re.compile(regex)

    def spoil(path: str, nasty: str) -> str:
        match = compiled.fullmatch(path)
        if match and match.lastindex:
            start, end = match.span(1)
            candidate = path[:start] + nasty + path[end:]
            if compiled.fullmatch(candidate):
                return candidate
        return path

    paths = st.from_regex(compiled, fullmatch=True)
    spoiled = st.tuples(paths, NASTY.filter(bool)).map(lambda pair: spoil(*pair))
    return st.one_of(paths, spoiled).map(lambda path: "/" + quote(path, safe="/"))


@cache
def count_query() -> str:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
    # Table names come from PostgreSQL's own catalogue and are quoted.
    counts = [f"(SELECT count(*) FROM {connection.ops.quote_name(t)})" for t in tables]  # noqa: S608
    return "SELECT " + ", ".join(counts)


def row_counts() -> tuple[int, ...]:
    """The row count of every table, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(count_query())
        return tuple(cursor.fetchone())


def field_names(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="([^"]+)"', html)) - {"csrfmiddlewaretoken"}) or COMMON_NAMES


def assert_answered(response, what) -> None:
    """Never a 500; a refusal is a 4xx with a friendly page in the site's layout."""
    assert response.status_code < 500, what
    if response.status_code >= 400:
        assert 'class="site-header"' in response.content.decode(errors="replace"), (
            response.status_code,
            what,
        )


@pytest.mark.parametrize("as_member", [False, True], ids=["anonymous", "member"])
@pytest.mark.parametrize("endpoint", endpoints(), ids=str)
def test_no_input_makes_any_url_fail_with_a_500(endpoint, as_member, member):
    @settings(
        max_examples=3,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: a failure is reported as found, in bounded time
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(path=path_strategy(endpoint.regex), query=form_strategy(COMMON_NAMES), data=st.data())
    def fuzz(path, query, data):
        strict = Client(enforce_csrf_checks=True)
        if as_member:
            strict.force_login(member)

        page = strict.get(path, query)
        assert_answered(page, (path, query))

        names = field_names(page.content.decode(errors="replace"))
        form = data.draw(form_strategy(names), label="form")

        before = row_counts()
        refused = strict.post(path, form)
        assert_answered(refused, (path, form))
        # Refused: by the CSRF check (403), or earlier for a path no link carries (400 NUL byte, 404).
        assert refused.status_code in (400, 403, 404), (path, refused.status_code)
        assert row_counts() == before, "a POST without a CSRF token wrote to the database"

        strict.cookies["csrftoken"] = CSRF_SECRET
        before = row_counts()
        answer = strict.post(path, {**form, "csrfmiddlewaretoken": CSRF_SECRET})
        assert_answered(answer, (path, form))
        if answer.status_code >= 400:
            assert row_counts() == before, f"a refused POST ({answer.status_code}) wrote to the database"

    fuzz()
