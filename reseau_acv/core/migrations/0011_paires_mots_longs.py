"""A pair of neighbouring words is kept in a search vector only if PostgreSQL can index it (a
lexeme holds at most 2,046 bytes): two long neighbouring « words » (a pasted link, a run of
characters in a feed) made the whole vector fail — a feed's entries were not ingested, an index
refresh stopped. The words themselves are indexed as before (PostgreSQL skips a word too long)."""

from django.db import migrations

PAIRS_LIST_TEMPLATE = """
CREATE OR REPLACE FUNCTION public.recherche_paires_liste(v tsvector) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT paire), '{{}}') FROM (
    SELECT '~' || lexeme || ' ' || lead(lexeme) OVER suite AS paire, pos, lead(pos) OVER suite AS suivante
    FROM (SELECT u.lexeme, pos FROM unnest(v) u, unnest(u.positions) pos WHERE strpos(u.lexeme, '-') = 0) mots
    WINDOW suite AS (ORDER BY pos, lexeme)
  ) paires WHERE suivante > pos{condition}
$$;
"""
PAIRS_LIST_SQL = PAIRS_LIST_TEMPLATE.format(condition=" AND octet_length(paire) <= 2046")
PREVIOUS_SQL = PAIRS_LIST_TEMPLATE.format(condition="")  # as core 0007 wrote it


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PAIRS_LIST_SQL)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS_SQL)


class Migration(migrations.Migration):
    dependencies = [("core", "0010_thesaurus_mots_generaux")]

    operations = [migrations.RunPython(forward, backward)]
