"""The press articles' search vector: a column filled by a PostgreSQL trigger (ingestion writes
in bulk, so no Python code would see every row) and a GIN index, so that searching hundreds of
thousands of articles stays fast. On SQLite the column stays empty and search is simpler."""

import django.contrib.postgres.search
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION panorama_articlepresse_recherche() RETURNS trigger AS $$
BEGIN
  NEW.recherche :=
    setweight(to_tsvector('public.french_unaccent', coalesce(NEW.titre, '')), 'A') ||
    setweight(to_tsvector('public.french_unaccent', coalesce(NEW.resume, '')), 'B');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS panorama_articlepresse_recherche ON panorama_articlepresse;
CREATE TRIGGER panorama_articlepresse_recherche
  BEFORE INSERT OR UPDATE OF titre, resume ON panorama_articlepresse
  FOR EACH ROW EXECUTE FUNCTION panorama_articlepresse_recherche();
UPDATE panorama_articlepresse SET titre = titre;
CREATE INDEX IF NOT EXISTS panorama_articlepresse_recherche_gin ON panorama_articlepresse USING gin (recherche);
"""
BACKWARD = """
DROP INDEX IF EXISTS panorama_articlepresse_recherche_gin;
DROP TRIGGER IF EXISTS panorama_articlepresse_recherche ON panorama_articlepresse;
DROP FUNCTION IF EXISTS panorama_articlepresse_recherche();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("panorama", "0001_initial"), ("core", "0003_french_search")]

    operations = [
        migrations.AddField(
            model_name="articlepresse",
            name="recherche",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
