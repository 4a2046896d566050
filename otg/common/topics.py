"""Tags in public use: one definition, built from each app's own public QuerySet.

Each app that tags its rows registers, in its AppConfig.ready(), a function that returns the rows of
it anyone may see (``Interview.objects.published()``, ``Event.objects.upcoming()``,
``Member.objects.public()``). A tag is in public use when at least one of those rows carries it; every
filter by tag (``?amne=``) and the topic pages ask only this module, so a tag that only private or
unpublished things carry is nowhere shown by name. taggit's Tag is third-party, so this is a module of
functions rather than a manager method.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from taggit.models import Tag, TaggedItem


@dataclass(frozen=True)
class _Kind:
    name: str  # "event": the counts are annotated as event_count
    model: type
    public: Callable[[], QuerySet]


_kinds: dict[str, _Kind] = {}


def register(name: str, model: type, public: Callable[[], QuerySet]) -> None:
    """Say which rows of ``model`` are public; ``public()`` returns them (a QuerySet method of the app)."""
    _kinds[name] = _Kind(name, model, public)


def kinds() -> list[str]:
    return list(_kinds)


def _tagged(kind: _Kind) -> Q:
    """TaggedItem rows that tag a public row of the kind (a lookup relative to TaggedItem)."""
    content_type = ContentType.objects.get_for_model(kind.model)
    return Q(content_type=content_type, object_id__in=kind.public().order_by().values("pk"))


def in_public_use() -> QuerySet[Tag]:
    """Tags that something public carries."""
    carried = Q()
    for kind in _kinds.values():
        carried |= Q(Exists(TaggedItem.objects.filter(_tagged(kind), tag=OuterRef("pk"))))
    return Tag.objects.filter(carried)


def public_tag(slug: str) -> Tag | None:
    """The tag with this slug if it is in public use, else None: what every ``?amne=`` filter asks."""
    return in_public_use().filter(slug=slug[:100]).first() if slug else None


def with_counts() -> list[Tag]:
    """Every tag in public use with how many public rows of each kind carry it (``event_count``, ...)
    and ``total``, the most used first: one query, grouped over the tagged rows."""
    counts = {
        f"{kind.name}_count": Count("pk", filter=_tagged(kind))
        for kind in _kinds.values()  # one semi-join per kind, each hashed once by PostgreSQL
    }
    carried = Q()
    for kind in _kinds.values():
        carried |= _tagged(kind)
    rows = (
        TaggedItem.objects.filter(carried)
        .values("tag_id", "tag__name", "tag__slug")
        .annotate(**counts)
        .order_by()
    )
    tags = []
    for row in rows:
        tag = Tag(pk=row.pop("tag_id"), name=row.pop("tag__name"), slug=row.pop("tag__slug"))
        for name, value in row.items():
            setattr(tag, name, value)
        tag.total = sum(row.values())
        tags.append(tag)
    tags.sort(key=lambda tag: (-tag.total, tag.name))
    return tags


def counts_for(tag: Tag) -> Tag:
    """Set ``<kind>_count`` on one tag: how many public rows of each kind carry it (one query)."""
    counts = {f"{kind.name}_count": Count("pk", filter=_tagged(kind)) for kind in _kinds.values()}
    values = TaggedItem.objects.filter(tag=tag).aggregate(**counts)
    for name, value in values.items():
        setattr(tag, name, value)
    tag.total = sum(values.values())
    return tag


def connect_tag_writes() -> None:
    """Every write to tags or to what they tag (taggit's API included) bumps the "tags" generation."""
    from otg.common.caching import bump_on_m2m, bump_on_write

    bump_on_write(Tag, "tags")
    bump_on_write(TaggedItem, "tags")
    bump_on_m2m(TaggedItem, "tags")
