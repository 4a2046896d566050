"""Building blocks for the stored search columns each app declares (the search itself is otg.site.search)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

# Created by members' migration 0003_search_configuration: Swedish stemming after unaccent.
SEARCH_CONFIG = "swedish_unaccent"


class SearchText(models.Func):
    """Lower-cased, unaccented text of the given columns, for substring (trigram) matching.

    Full-text search cannot split Swedish compounds ("förändring" inside "kulturförändringen");
    a substring match on this text can, and its trigram index keeps it fast.
    """

    function = "otg_search_text"
    output_field = models.TextField()


def weighted_vector(*weighted_fields: tuple[str, str]) -> SearchVector:
    vectors = [SearchVector(field, weight=weight, config=SEARCH_CONFIG) for field, weight in weighted_fields]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def search_vector_field(*weighted_fields: tuple[str, str]) -> models.GeneratedField:
    return models.GeneratedField(
        expression=weighted_vector(*weighted_fields),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )


def search_text_field(*fields: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=SearchText(*fields),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
    )


def search_indexes(prefix: str) -> list[GinIndex]:
    return [
        GinIndex(fields=["search_vector"], name=f"{prefix}_search_vector"),
        GinIndex(OpClass("search_text", name="gin_trgm_ops"), name=f"{prefix}_search_trgm"),
    ]


# The stored search columns are read only by the search's own SQL. Loading them with every row
# (a tsvector and the whole text again, per member, event or interview) made list pages several
# times slower at benchmark volume, so the default managers leave them out.
SEARCH_COLUMNS = ("search_vector", "search_text")


class WithoutSearchColumnsMixin:
    """For a model's default manager: querysets do not load the stored search columns."""

    deferred_columns = SEARCH_COLUMNS

    def get_queryset(self):
        # Historical models in migrations (use_in_migrations) may predate the columns.
        present = {field.name for field in self.model._meta.concrete_fields}
        return super().get_queryset().defer(*(name for name in self.deferred_columns if name in present))
