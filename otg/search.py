"""One search over what anyone may see: published interviews, visible events and public member profiles.

Each app decides what "public" means (Interview.objects.published(), Event.objects.visible(),
Member.objects.public()); this module only combines them. Every kind has two stored, indexed columns
(otg.search_fields): a weighted tsvector for Swedish full-text search, and lower-cased unaccented text
for substring matches, which find words inside compounds that full-text search cannot split. Full-text
hits rank above substring-only hits; among full-text hits, ts_rank orders by weight (title first).
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from events.models import Event
from interviews.models import Interview
from members.models import Member
from otg.search_fields import SEARCH_CONFIG

MAX_QUERY_LENGTH = 200
# A substring shorter than this matches too much to mean anything.
MIN_SUBSTRING = 3
# Markers ts_headline puts around matches; chosen so that no real text contains them. The text is
# escaped first, then the markers become <mark>, so nothing in the content can inject HTML.
START, STOP = "\x02", "\x03"

WORD = re.compile(r"\w+")


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
    obj: models.Model


def clean_query(raw: str) -> ParsedQuery:
    """Tidy what the user typed and say whether it can be searched, without touching the database."""
    text = " ".join(raw.replace("\x00", " ").split())
    if not text:
        return ParsedQuery(text, "empty")
    if len(text) > MAX_QUERY_LENGTH:
        return ParsedQuery(text[:MAX_QUERY_LENGTH], "too_long")
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


# The text each kind shows a snippet from.
SNIPPET_SOURCES = {
    Kind.INTERVIEW: Concat("introduction", Value("\n\n"), "body_text", output_field=models.TextField()),
    Kind.EVENT: Concat("summary", Value("\n\n"), "description", output_field=models.TextField()),
    Kind.MEMBER: F("bio"),
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


def ranked(querysets: dict[str, models.QuerySet]) -> models.QuerySet:
    """One ordered list of (kind, pk, fts, rank) over every kind: slice it to get a page."""
    parts = [
        queryset.annotate(hit_kind=Value(str(kind), output_field=models.CharField())).values_list(
            "hit_kind", "pk", "fts", "rank"
        )
        for kind, queryset in querysets.items()
    ]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-fts", "-rank", "hit_kind", "pk")


def hits_for(rows: list[tuple], parsed: ParsedQuery) -> list[Hit]:
    """The page's hits with highlighted snippets: one query per kind on the page, at most three."""
    query = SearchQuery(parsed.text, search_type="websearch", config=SEARCH_CONFIG)
    by_kind: dict[str, list[int]] = {}
    for kind, pk, _fts, _rank in rows:
        by_kind.setdefault(kind, []).append(pk)
    objects = {}
    for kind, pks in by_kind.items():
        queryset = (
            _base_querysets()[kind]
            .filter(pk__in=pks)
            .annotate(
                snippet=SearchHeadline(
                    SNIPPET_SOURCES[kind],
                    query,
                    config=SEARCH_CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    highlight_all=False,
                    max_fragments=2,
                    max_words=30,
                    min_words=12,
                    fragment_delimiter=" … ",
                )
            )
        )
        for obj in queryset:
            objects[(kind, obj.pk)] = obj
    hits = []
    for kind, pk, _fts, _rank in rows:
        obj = objects.get((kind, pk))
        if obj is None:  # Became private between the two queries.
            continue
        title = obj.name if kind == Kind.MEMBER else obj.title
        hits.append(Hit(kind, title, obj.get_absolute_url(), highlight(obj.snippet or ""), obj))
    return hits
