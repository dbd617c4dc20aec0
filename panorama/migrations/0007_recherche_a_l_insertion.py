"""Ingestion writes each new story's whole search vector in its INSERT (computed from the texts it
already holds): the row trigger then keeps that vector instead of replacing it with the title and
summary only. Other writes are unchanged (the trigger still fills an INSERT without a vector and
an UPDATE of the title or summary, until the index refresh that follows them)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION panorama_articlepresse_recherche() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.recherche IS NOT NULL THEN
    RETURN NEW;
  END IF;
  NEW.recherche :=
    setweight(to_tsvector('public.french_unaccent', coalesce(NEW.titre, '')), 'A') ||
    setweight(to_tsvector('public.french_unaccent', coalesce(NEW.resume, '')), 'B');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
BACKWARD = """
CREATE OR REPLACE FUNCTION panorama_articlepresse_recherche() RETURNS trigger AS $$
BEGIN
  NEW.recherche :=
    setweight(to_tsvector('public.french_unaccent', coalesce(NEW.titre, '')), 'A') ||
    setweight(to_tsvector('public.french_unaccent', coalesce(NEW.resume, '')), 'B');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("panorama", "0006_exception_contraintes_sqlite")]

    operations = [migrations.RunPython(forward, backward)]
