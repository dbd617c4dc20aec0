"""GIN indexes over the search vectors, on PostgreSQL only (SQLite searches more simply)."""

from django.db import migrations

TABLES = ("ressources_ressource", "ressources_retourexperience", "ressources_question")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_recherche_gin ON {table} USING gin (recherche)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_recherche_gin")


class Migration(migrations.Migration):
    dependencies = [("ressources", "0001_initial"), ("core", "0003_french_search")]
    operations = [migrations.RunPython(forward, backward)]
