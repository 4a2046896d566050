"""One search over what anyone may see: published interviews, visible events and public member profiles.

Each app decides what "public" means (Interview.objects.published(), Event.objects.visible(),
Member.objects.public()); this module only combines them. Every kind has two stored, indexed columns
(otg.common.search_fields): a weighted tsvector for Swedish full-text search, and lower-cased unaccented text
for substring matches, which find words inside compounds that full-text search cannot split. Full-text
hits rank above substring-only hits; among full-text hits, ts_rank orders by weight (title first).
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from events.models import Event
from interviews.models import Interview
from members.models import Member
from otg.common.search_fields import SEARCH_CONFIG
from otg.common.text import clean_line

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20
# A substring shorter than this matches too much to mean anything.
MIN_SUBSTRING = 3
# Markers ts_headline puts around matches; chosen so that no real text contains them. The text is
# escaped first, then the markers become <mark>, so nothing in the content can inject HTML.
START, STOP = "\x02", "\x03"

WORD = re.compile(r"\w+")
LEADING_PUNCTUATION = re.compile(r"[^\w]*")
SIGNS = re.compile(r"[^\w\s]+")


class Kind(models.TextChoices):
    # Values are the public ?typ= parameter, in Swedish like the paths.
    INTERVIEW = "intervju", "interview"
    EVENT = "evenemang", "event"
    MEMBER = "medlem", "member"


@dataclass
class ParsedQuery:
    text: str
    problem: str = ""  # "empty", "too_long" or "no_words" (only punctuation or stop words)
    substrings: list[str] = field(default_factory=list)


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: SafeString
    day: datetime | None
    cancelled: bool


def _one_hyphen(run: re.Match) -> str:
    signs = run.group()
    first = signs.find("-")
    return signs if first < 0 else signs[: first + 1] + signs[first + 1 :].replace("-", "")


def _operators_tamed(text: str) -> str:
    """The query with at most one NOT before each word: websearch_to_tsquery stacks one operator per "-",
    and 33 of them before a word ("tsquery stack too small") answered 500. A word of punctuation only
    means nothing to the search and goes; so does every hyphen but one before a word. PostgreSQL also
    reads a "-" after signs it skips, inside a word ("1))))---…))))1" is 1 AND NOT … NOT 1), so every run
    of signs inside a word keeps one hyphen too."""
    words = []
    for token in text.split():
        if not WORD.search(token):
            continue
        lead = LEADING_PUNCTUATION.match(token).group()
        rest = SIGNS.sub(_one_hyphen, token[len(lead) :])
        words.append("-" + rest if "-" in lead else rest)
    return " ".join(words)


def clean_query(raw: str) -> ParsedQuery:
    """Tidy what the user typed and say whether it can be searched, without touching the database."""
    text = " ".join(clean_line(raw).split())
    if not text:
        return ParsedQuery(text, "empty")
    if len(text) > MAX_QUERY_LENGTH:
        return ParsedQuery(text[:MAX_QUERY_LENGTH], "too_long")
    text = _operators_tamed(text)
    if not WORD.search(text):
        return ParsedQuery(text, "no_words")
    return ParsedQuery(text)


def analyse_query(parsed: ParsedQuery) -> ParsedQuery:
    """Ask PostgreSQL which words carry meaning (not stop words) and how they read unaccented.

    One query, whatever the number of words.
    """
    words = list(dict.fromkeys(WORD.findall(parsed.text)))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT otg_search_text(word), numnode(plainto_tsquery(%s::regconfig, word)) "
            "FROM unnest(%s::text[]) AS word",
            [SEARCH_CONFIG, words],
        )
        rows = cursor.fetchall()
    meaningful = [plain for plain, nodes in rows if nodes > 0]
    if not meaningful:
        parsed.problem = "no_words"
    parsed.substrings = [plain for plain in meaningful if len(plain) >= MIN_SUBSTRING]
    return parsed


def highlight(headline: str) -> SafeString:
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))


def _base_querysets() -> dict[str, models.QuerySet]:
    return {
        Kind.INTERVIEW: Interview.objects.published(),
        Kind.EVENT: Event.objects.visible(),
        Kind.MEMBER: Member.objects.public(),
    }


# Per kind, what a hit shows: title, the reference its URL is made from, a date, its status and the
# text the snippet comes from. The same columns for every kind, so that one UNION gives a page.
HIT_COLUMNS = {
    Kind.INTERVIEW: {
        "hit_title": F("title"),
        "hit_ref": F("slug"),
        "hit_day": F("published_at"),
        "hit_status": Value(""),
    },
    Kind.EVENT: {
        "hit_title": F("title"),
        "hit_ref": F("slug"),
        "hit_day": F("start"),
        "hit_status": F("status"),
    },
    Kind.MEMBER: {
        "hit_title": F("name"),
        "hit_ref": Cast("pk", models.TextField()),
        "hit_day": Value(None, output_field=models.DateTimeField()),
        "hit_status": Value(""),
    },
}
# The text a snippet is cut from, fetched only for the hits on the page: carrying long texts through
# the sort of every match made a common word cost 90 ms at benchmark volume.
SNIPPET_SQL = {
    Kind.INTERVIEW: (Interview, "concat_ws(E'\\n\\n', introduction, body_text)"),
    Kind.EVENT: (Event, "concat_ws(E'\\n\\n', summary, description)"),
    Kind.MEMBER: (Member, "bio"),
}
URL_NAMES = {
    Kind.INTERVIEW: ("interviews:interview-detail", "slug"),
    Kind.EVENT: ("events:event-detail", "slug"),
    Kind.MEMBER: ("members:member-detail", "pk"),
}


def matching(parsed: ParsedQuery, kinds: list[str] | None = None) -> dict[str, models.QuerySet]:
    """Per kind, the public rows that match, annotated with `fts` (1 or 0) and `rank`."""
    query = SearchQuery(parsed.text, search_type="websearch", config=SEARCH_CONFIG)
    substring = Q()
    for word in parsed.substrings:
        substring &= Q(search_text__contains=word)
    result = {}
    for kind, queryset in _base_querysets().items():
        if kinds and kind not in kinds:
            continue
        match = Q(search_vector=query)
        if parsed.substrings:
            match |= substring
        result[kind] = (
            queryset.filter(match)
            .annotate(
                fts=Case(
                    When(search_vector=query, then=Value(1)), default=Value(0), output_field=IntegerField()
                ),
                rank=SearchRank(F("search_vector"), query),
            )
            .order_by()
        )
    return result


@dataclass
class Results:
    """What one search shows: its problem if it has one, else a page of hits and the counts per kind."""

    problem: str = ""  # "no_words" (all stop words), or "unavailable" (the database failed the search)
    page: Page | None = None
    hits: list[Hit] = field(default_factory=list)
    counts: list[tuple[str, str, int]] = field(default_factory=list)
    total: int = 0


def results(parsed: ParsedQuery, *, kind: str, page_number: int | str | None) -> Results:
    """Search: at most three queries (meaningful words, counts per kind, the page of hits).

    A query PostgreSQL refuses, or cancels at statement_timeout under load, gives the problem
    "unavailable". The queries run in a savepoint that the error rolls back: without it the request's
    transaction stayed aborted, and the template's {% if %} (which swallows exceptions) showed a page of
    neither results nor a message while every later query of the request or test failed.
    """
    try:
        with transaction.atomic():
            return _results(parsed, kind=kind, page_number=page_number)
    except DatabaseError:
        logger.exception("Search failed for %r", parsed.text)
        return Results(problem="unavailable")


def _results(parsed: ParsedQuery, *, kind: str, page_number: int | str | None) -> Results:
    analyse_query(parsed)
    if parsed.problem:
        return Results(problem=parsed.problem)
    matching_rows = matching(parsed)
    counts = count_by_kind(matching_rows)
    shown = {k: qs for k, qs in matching_rows.items() if not kind or k == kind}
    # Counted already, in the one query above: the paginator only does the arithmetic.
    paginator = Paginator(range(sum(counts[k] for k in shown)), PAGE_SIZE)
    page = paginator.get_page(page_number)
    hits = []
    if paginator.count:
        hits = page_of_hits(shown, parsed, offset=(page.number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return Results(
        page=page,
        hits=hits,
        counts=[(k, Kind(k).label, counts[k]) for k in Kind.values],
        total=sum(counts.values()),
    )


# The kinds whose generations key the cached results (otg.common.caching): any publication, edit, new
# event or profile change shows at once.
KINDS = ("interviews", "events", "members")


def count_by_kind(querysets: dict[str, models.QuerySet]) -> dict[str, int]:
    """All counts in one query."""
    if not querysets:
        return {}
    parts, params = [], []
    for queryset in querysets.values():
        sql, sql_params = queryset.values("pk").query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS matches)")  # noqa: S608 (Django-compiled SQL)
        params += sql_params
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        counts = cursor.fetchone()
    return dict(zip(querysets, counts, strict=True))


def page_of_hits(
    querysets: dict[str, models.QuerySet], parsed: ParsedQuery, *, offset: int, limit: int
) -> list[Hit]:
    """One page of hits over every kind, best first, with highlighted snippets, in one query.

    ts_headline is costly; PostgreSQL evaluates it only for the rows that survive ORDER BY ... LIMIT,
    because it stands in the outer query, after the UNION has been sorted.
    """
    parts = []
    for kind, queryset in querysets.items():
        columns = HIT_COLUMNS[kind]
        parts.append(
            queryset.annotate(hit_kind=Value(str(kind), output_field=models.CharField()), **columns)
            .values_list("hit_kind", "pk", "fts", "rank", *columns)
            .order_by()
        )
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    union_sql, params = combined.query.sql_with_params()
    options = (
        f'StartSel="{START}", StopSel="{STOP}", MaxFragments=2, MaxWords=30, MinWords=12, '
        'FragmentDelimiter=" … "'
    )
    snippet_text = " ".join(
        f"WHEN '{kind.value}' THEN (SELECT {text} FROM {model._meta.db_table} WHERE id = page.col2)"  # noqa: S608 (constants)
        for kind, (model, text) in SNIPPET_SQL.items()
    )
    order = "ORDER BY {0}.col3 DESC, {0}.col4 DESC, {0}.col1, {0}.col2"
    sql = (
        "SELECT page.col1, page.col2, page.col5, page.col6, page.col7, page.col8, "  # noqa: S608
        f"ts_headline(%s::regconfig, translate(CASE page.col1 {snippet_text} END, %s, ''), "
        "websearch_to_tsquery(%s::regconfig, %s), %s) "
        f"FROM (SELECT * FROM ({union_sql}) AS hits(col1, col2, col3, col4, col5, col6, col7, col8) "
        f"{order.format('hits')} LIMIT %s OFFSET %s) AS page {order.format('page')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            # The markers are taken out of the text first: content cannot fake a <mark>.
            [SEARCH_CONFIG, START + STOP, SEARCH_CONFIG, parsed.text, options, *params, limit, offset],
        )
        rows = cursor.fetchall()
    hits = []
    for kind, _pk, title, ref, day, status, headline in rows:
        url_name, kwarg = URL_NAMES[kind]
        hits.append(
            Hit(
                kind=kind,
                title=title,
                url=reverse(url_name, kwargs={kwarg: ref}),
                snippet=highlight(headline or ""),
                day=day,
                cancelled=status == "cancelled",
            )
        )
    return hits
