"""Cached fragments that the writes invalidate: generation keys in the shared cache.

Every kind of content that public pages show ("events", "interviews", "members", "tags") has a
*generation*: a token in the shared cache (``caches["default"]``: the database cache, or Redis through
CACHE_URL). Every transaction that writes such content retires the token of its kinds once it has
committed (``bump``, through ``transaction.on_commit``), and the next request makes a new one. The
apps call it from model signals (``bump_on_write``), so the services, the admin, the shell and
taggit's API all invalidate alike.

A page reads the generations of every kind it shows in one ``get_many`` per request (``generations``)
and keys its fragments on them, on its normalised parameters and on the language. Never on counts, sums
or timestamps of rows: two writes whose effects cancel out leave those unchanged.

The rendered fragments stay in each worker's memory (the locmem ``template_fragments`` cache). That is
safe only because a key, once its generation is replaced, is never asked for again: the generation is
read from the shared cache on every request, so a write through any process reaches every worker of
every server at once. Nothing else may be kept in per-worker memory.

Tokens, not counters: the database cache's ``incr`` is a read and then a write, so two processes that
bump at once can both write n + 1, and a late writer can move the counter back to a number that already
keys fragments rendered before its own write. An evicted counter would start again at 1 and bring old
fragments back. A random token never repeats, and it is made by a request that has not yet read what it
renders: every fragment under a token was rendered after the token was stored, so after every write
that committed before it was retired. That is why a write may simply delete it.

A read replica (otg.db_router) would break that promise: a request after the write, under a new token,
could read the replica before it has replayed the write, and its copy of the replica's lag would be
kept under the new token until the next write. So whatever reads the generations does it inside
``kept_reads()``, and every row read there comes from the primary (``reads_from_primary``); the replica
serves only what no cache keeps. Views do it through ``reads_generations`` (otg.common.pages has the
whole-page variant), so "generations first, then rows" holds by construction; ``generations`` refuses to
run outside the scope.

Writes that skip model signals (``QuerySet.update``, ``bulk_create``, ``bulk_update``) bump too: every
model whose writes bump (``bump_on_write``) has a ``GenerationQuerySet``, so a new call cannot forget.

Time changes some pages without a write: an event ends and leaves the upcoming lists, a scheduled
interview's time comes. A kind may have a *clock* (``register_clock``): the next moment its public
content changes by itself. The clock is stored beside the token and tied to it; a request past the clock
(or after a write) works out the next one, one query, and that moment is part of the generation.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from urllib.parse import quote

from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

FRAGMENT_TIMEOUT = 600
PREFIX = "generation:"


@dataclass(frozen=True)
class _Clock:
    rows: Callable[[datetime], QuerySet]  # the rows whose ``field`` is a moment of change after now
    field: str
    # The change comes just after the moment: an event that ends at 10:00 is past at 10:00:00.000001.
    after: bool


_clocks: dict[str, _Clock] = {}
_kinds: set[str] = set()  # every kind some write bumps (bump_on_write, bump_on_m2m)
# model label -> (the kinds its writes bump, the fields whose writes alone bump nothing)
_written: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
# Whether the code running now has read the generations, so renders what the caches keep.
_keeps_what_it_reads: ContextVar[bool] = ContextVar("otg_keeps_what_it_reads", default=False)


def reads_from_primary() -> bool:
    """Whether the rows read now may be kept under a generation: then they come from the primary."""
    return _keeps_what_it_reads.get()


@contextmanager
def kept_reads() -> Iterator[None]:
    """The scope of code that reads the generations and then rows to keep under them: inside it every
    row comes from the primary (otg.db_router). It ends with the block, whatever thread or job runs it
    next, so the flag never outlives the request, job or mail that set it."""
    token = _keeps_what_it_reads.set(True)
    try:
        yield
    finally:
        _keeps_what_it_reads.reset(token)


def reads_generations(*kinds: str, clocks: bool = True):
    """View decorator: read the generations of ``kinds`` before the view reads any row, and pass them
    as the keyword argument ``version``; the whole view runs inside ``kept_reads()``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            with kept_reads():
                return view(request, *args, version=generations(*kinds, clocks=clocks), **kwargs)

        return wrapped

    return decorator


def _shared():
    return caches["default"]


def _token() -> str:
    return secrets.token_hex(8)


def register_clock(
    kind: str, rows: Callable[[datetime], QuerySet], field: str, *, after: bool = False
) -> None:
    """Say when the kind's public content changes by itself: at the smallest ``field`` of ``rows(now)``
    (just after it, with ``after``): the end of the next upcoming event, say."""
    _clocks[kind] = _Clock(rows, field, after)


def _next_changes(kinds: list[str], now: datetime) -> dict[str, datetime | None]:
    """The next moment of change of each kind, all in one query."""
    parts = []
    for kind in kinds:
        clock = _clocks[kind]
        parts.append(
            clock.rows(now)
            .order_by(clock.field)
            .annotate(clock_kind=Value(kind, output_field=CharField()))
            .values_list("clock_kind", clock.field)[:1]
        )
    rows = dict(parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])
    moments = {}
    for kind in kinds:
        moment = rows.get(kind)
        if moment is not None and _clocks[kind].after:
            moment += timedelta(microseconds=1)
        moments[kind] = moment
    return moments


class _Retire:
    """An on-commit callback that retires the kinds its transaction wrote, all in one DELETE.

    Every bump in a transaction registers one, and all of them share one set of kinds: the first to
    run retires them all, the others find nothing left. They live in Django's own list of on-commit
    callbacks, so a rolled-back transaction (or savepoint) drops them with the rest, and nothing it
    wrote is sent with a later commit.
    """

    def __init__(self, kinds: set[str]):
        self.kinds = kinds

    def __call__(self) -> None:
        if self.kinds:
            kinds = sorted(self.kinds)
            self.kinds.clear()
            _shared().delete_many([PREFIX + kind for kind in kinds])


def bump(*kinds: str) -> None:
    """Retire the generations of ``kinds`` once the current transaction commits (at once outside one).

    Retiring is deleting: the next request that needs the kind makes a new token (``generations``).
    One DELETE on the database cache, where a set is five statements: this runs after every RSVP.
    A savepoint rolled back inside a transaction that commits may leave its kinds in the shared set:
    that retires more than was written, never less.
    """
    connection = transaction.get_connection()
    pending = None
    if connection.in_atomic_block:
        pending = next(
            (
                callback.kinds
                for _ids, callback, _robust in connection.run_on_commit
                if isinstance(callback, _Retire)
            ),
            None,
        )
    if pending is None:
        pending = set()
    pending.update(kinds)
    transaction.on_commit(_Retire(pending))


def bump_all() -> None:
    """Retire the generations of every kind, after writes that no model signal reports: a data
    migration saves through the historical models of its app registry, whose signals name those
    classes, not ours."""
    bump(*_kinds)


def generations(*kinds: str, clocks: bool = True, now: datetime | None = None) -> str:
    """The current generations of ``kinds`` as one string for a cache key: one read of the shared cache.

    With ``clocks`` (for pages that show what time changes: upcoming lists, public interviews), the
    next moment of change of each kind is part of it; past that moment, or after a write, it is worked
    out again (one query for all kinds, shared by every process through the cache).
    """
    # Every row read from here on, the clocks' included, must come from the primary: what is kept
    # under a token must have been read after every write that retired the token before it.
    if not reads_from_primary():
        raise RuntimeError("generations() is read inside kept_reads() (or a view under reads_generations)")
    cache = _shared()
    now = now or timezone.now()
    timed = [kind for kind in kinds if clocks and kind in _clocks]
    found = cache.get_many([PREFIX + kind for kind in kinds] + [PREFIX + kind + ":clock" for kind in timed])
    fresh = {}
    tokens = {}
    for kind in kinds:
        token = found.get(PREFIX + kind)
        if token is None:
            # Retired by a write (or gone from the cache): a token made now is new, so no fragment
            # rendered before this moment can be served under it.
            token = fresh[PREFIX + kind] = _token()
        tokens[kind] = token
    if fresh:
        # Stored before the clocks are worked out: a clock read from data older than a write that
        # retires this token again is tied to a dead token.
        cache.set_many(fresh, timeout=None)
        fresh = {}
    # A clock holds the token it was worked out for: a write (a new token) makes it stale at once.
    stale = [
        kind
        for kind in timed
        if (clock := found.get(PREFIX + kind + ":clock")) is None
        or clock[0] != tokens[kind]
        or (clock[1] is not None and now >= clock[1])
    ]
    if stale:
        for kind, moment in _next_changes(stale, now).items():
            found[PREFIX + kind + ":clock"] = fresh[PREFIX + kind + ":clock"] = (tokens[kind], moment)
    if fresh:
        cache.set_many(fresh, timeout=None)
    parts = []
    for kind in kinds:
        part = f"{kind}={tokens[kind]}"
        if kind in timed:
            moment = found[PREFIX + kind + ":clock"][1]
            part += f"@{moment.timestamp() if moment else '-'}"
        parts.append(part)
    return ";".join(parts)


def fragment_key(name: str, *parts) -> str:
    """A key for the per-worker cache: a name and a digest of the generations and normalised
    parameters (each part quoted before they are joined, so that no text typed into a filter can make
    two keys the same; digested, so that a long search makes no long key)."""
    joined = ":".join(quote(str(part), safe="") for part in parts)
    return f"{name}:{hashlib.sha256(joined.encode()).hexdigest()}"


def page_number(raw: str | None, *, limit: int = 10_000) -> int:
    """A page parameter as a bounded int for cache keys: junk reads as 1, huge numbers as ``limit``."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), limit)


class CachedCountPaginator(Paginator):
    """A paginator whose count is kept in the per-worker cache under a generation key.

    The count belongs to the same generations as the fragment the page renders, so it is as fresh.
    """

    def __init__(self, object_list, per_page, *, key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count_key = "count:" + key

    @property
    def count(self) -> int:
        cache = caches["template_fragments"]
        count = cache.get(self._count_key)
        if count is None:
            count = super().count
            cache.set(self._count_key, count, FRAGMENT_TIMEOUT)
        return count


def _bump_receiver(kinds: tuple[str, ...], ignore_fields: frozenset[str]):
    def receiver(sender, instance=None, update_fields=None, **kwargs):
        if update_fields and ignore_fields and set(update_fields) <= ignore_fields:
            return
        bump(*kinds)

    return receiver


class GenerationQuerySet(QuerySet):
    """A QuerySet whose writes without signals (update, bulk_create, bulk_update) bump like a save.

    What they bump is what ``bump_on_write`` registered for the model, with the same ignored fields.
    """

    def _bump(self, fields: Iterable[str] | None) -> None:
        kinds, ignore = _written.get(self.model._meta.concrete_model._meta.label, ((), frozenset()))
        if kinds and not (fields is not None and ignore and set(fields) <= ignore):
            bump(*kinds)

    def update(self, **kwargs) -> int:
        rows = super().update(**kwargs)
        if rows:
            self._bump(kwargs)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            self._bump(None)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            self._bump(fields)
        return rows


def _generation_queryset(model) -> None:
    """Give a model whose QuerySet is not a GenerationQuerySet (taggit's, an automatic many-to-many
    table) one on its default manager; ours declare it in models.py. The manager's class is replaced,
    not only the instance's attribute: related managers (``event.rsvps``) are made from that class."""
    manager = model._default_manager
    base = manager._queryset_class
    if not issubclass(base, GenerationQuerySet):
        queryset = type(f"Generation{base.__name__}", (GenerationQuerySet, base), {})
        manager.__class__ = type(
            f"Generation{type(manager).__name__}", (type(manager),), {"_queryset_class": queryset}
        )


def bump_on_write(model, *kinds: str, ignore_fields: Iterable[str] = ()) -> None:
    """Bump ``kinds`` after every save and delete of ``model``, and after every update, bulk_create and
    bulk_update of its QuerySet (``ignore_fields``: writes of only these fields, which no public page
    shows, bump nothing)."""
    _kinds.update(kinds)
    _written[model._meta.label] = (tuple(kinds), frozenset(ignore_fields))
    _generation_queryset(model)
    receiver = _bump_receiver(kinds, frozenset(ignore_fields))
    uid = f"generations:{model._meta.label}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")


def bump_on_m2m(through, *kinds: str) -> None:
    """Bump ``kinds`` after every change of a many-to-many relation (add, remove, set, clear), and after
    writes to its table's rows that send no signal (GenerationQuerySet)."""
    _kinds.update(kinds)
    _written.setdefault(through._meta.label, (tuple(kinds), frozenset()))
    _generation_queryset(through)

    def receiver(sender, action: str, pk_set=None, **kwargs):
        # taggit's set() sends an add and a remove even when nothing changes: those bump nothing.
        if action == "post_clear" or (action in ("post_add", "post_remove") and pk_set):
            bump(*kinds)

    m2m_changed.connect(
        receiver, sender=through, weak=False, dispatch_uid=f"generations:{through._meta.label}"
    )


def cached(key: str, compute: Callable[[], object], timeout: int = FRAGMENT_TIMEOUT):
    """A value kept in the per-worker cache under a generation key, computed on a miss.

    None is never kept: a key that a visitor can vary at will (a path that names nothing) leaves
    nothing behind, so no one can fill the worker's memory with answers about what does not exist.
    """
    cache = caches["template_fragments"]
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, timeout)
    return value
