"""A GIN index over the search vectors of kept articles only: everyone but staff searches kept
articles (``visible_to``), a tenth of what ingestion stores at national scale, so their search
reads posting lists ten times shorter."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS panorama_articlepresse_recherche_retenus_gin "
            "ON panorama_articlepresse USING gin (recherche) WHERE statut = 'retenu'"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS panorama_articlepresse_recherche_retenus_gin")


class Migration(migrations.Migration):
    dependencies = [("panorama", "0008_recherche_paires")]

    operations = [migrations.RunPython(forward, backward)]
