from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# A Swedish text search configuration that ignores accents ("forandring" finds "förändring"), and an
# IMMUTABLE wrapper so that generated columns and their indexes may use unaccent (the extension's own
# function is only STABLE, because its dictionary could in theory change).
CREATE = """
CREATE TEXT SEARCH CONFIGURATION swedish_unaccent (COPY = pg_catalog.swedish);
ALTER TEXT SEARCH CONFIGURATION swedish_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, swedish_stem;
CREATE FUNCTION otg_search_text(VARIADIC parts text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, array_to_string(parts, ' '))) $$;
"""
DROP = """
DROP FUNCTION IF EXISTS otg_search_text(VARIADIC text[]);
DROP TEXT SEARCH CONFIGURATION IF EXISTS swedish_unaccent;
"""


class Migration(migrations.Migration):
    dependencies = [("members", "0002_name_the_site")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(CREATE, DROP),
    ]
