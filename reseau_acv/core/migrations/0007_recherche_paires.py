"""The SQL functions that give each search vector the pairs of neighbouring words, so that a
phrase is found through the GIN index alone (see ``reseau_acv.core.recherche.index``). Each
app's migration then adds the pairs to its stored vectors."""

from django.db import migrations

CONFIG = "public.french_unaccent"
PAIRS_SQL = f"""
CREATE OR REPLACE FUNCTION public.recherche_paires_liste(v tsvector) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT paire), '{{}}') FROM (
    SELECT '~' || lexeme || ' ' || lead(lexeme) OVER suite AS paire, pos, lead(pos) OVER suite AS suivante
    FROM (SELECT u.lexeme, pos FROM unnest(v) u, unnest(u.positions) pos WHERE strpos(u.lexeme, '-') = 0) mots
    WINDOW suite AS (ORDER BY pos, lexeme)
  ) paires WHERE suivante > pos
$$;
CREATE OR REPLACE FUNCTION public.recherche_paires(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_to_tsvector(public.recherche_paires_liste(v))
$$;
CREATE OR REPLACE FUNCTION public.recherche_avec_paires(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT v || public.recherche_paires(v)
$$;
CREATE OR REPLACE FUNCTION public.recherche_phrase(t text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN cardinality(p) = 0 THEN plainto_tsquery('{CONFIG}', t)
    ELSE array_to_string(ARRAY(SELECT quote_literal(x) FROM unnest(p) x ORDER BY 1), ' & ')::tsquery END
  FROM (SELECT public.recherche_paires_liste(to_tsvector('{CONFIG}', t)) AS p) s
$$;
"""
PAIRS_DROP_SQL = """
DROP FUNCTION IF EXISTS public.recherche_phrase(text);
DROP FUNCTION IF EXISTS public.recherche_avec_paires(tsvector);
DROP FUNCTION IF EXISTS public.recherche_paires(tsvector);
DROP FUNCTION IF EXISTS public.recherche_paires_liste(tsvector);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PAIRS_SQL)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PAIRS_DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_notifications")]

    operations = [migrations.RunPython(forward, backward)]
