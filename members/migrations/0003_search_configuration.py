from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# A Swedish text search configuration that ignores accents ("forandring" finds "förändring"). Stop
# words are dropped before unaccent: "är", "på" and "för" are on PostgreSQL's Swedish list only with
# their accents, and would otherwise be indexed as "ar", "pa" and "for". Then an IMMUTABLE wrapper so
# that generated columns and their indexes may use unaccent (the extension's own function is only
# STABLE, because its dictionary could in theory change).
CREATE = """
CREATE TEXT SEARCH DICTIONARY swedish_stopwords (TEMPLATE = pg_catalog.simple, STOPWORDS = swedish, ACCEPT = false);
CREATE TEXT SEARCH CONFIGURATION swedish_unaccent (COPY = pg_catalog.swedish);
ALTER TEXT SEARCH CONFIGURATION swedish_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH swedish_stopwords, unaccent, swedish_stem;
CREATE FUNCTION otg_search_text(VARIADIC parts text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, array_to_string(parts, ' '))) $$;
"""
DROP = """
DROP FUNCTION IF EXISTS otg_search_text(VARIADIC text[]);
DROP TEXT SEARCH CONFIGURATION IF EXISTS swedish_unaccent;
DROP TEXT SEARCH DICTIONARY IF EXISTS swedish_stopwords;
"""


class Migration(migrations.Migration):
    dependencies = [("members", "0002_name_the_site")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(CREATE, DROP),
    ]
