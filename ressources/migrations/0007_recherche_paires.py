"""The stored search vectors get the pairs of neighbouring words (see core's migration 0007 and
``reseau_acv.core.recherche.index``), so that a phrase is found through the GIN index alone."""

from contextlib import suppress

from django.db import DatabaseError, migrations, transaction


def vectors_inline(schema_editor, table):
    """The vector stays in the row (compressed with lz4 where PostgreSQL has it): a search that
    reads a row's vector then reads no TOAST table; the rows rewritten below take it on."""
    schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN recherche SET STORAGE MAIN")
    # A server built without lz4 keeps its default compression.
    with suppress(DatabaseError), transaction.atomic(using=schema_editor.connection.alias):
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN recherche SET COMPRESSION lz4")


TABLES = ("ressources_ressource", "ressources_retourexperience", "ressources_question")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            vectors_inline(schema_editor, table)
            schema_editor.execute(
                f"UPDATE {table} SET recherche = public.recherche_avec_paires(recherche) "
                "WHERE recherche IS NOT NULL"
            )


class Migration(migrations.Migration):
    dependencies = [("ressources", "0006_message_mentions_suivis"), ("core", "0007_recherche_paires")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
