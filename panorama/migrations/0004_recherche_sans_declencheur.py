"""The press articles' search vector is now written by the services (``panorama.recherche``):
it also holds the towns and the feed's text, which a row trigger could not see. The trigger of
migration 0002 goes; the GIN index stays."""

from django.db import migrations

FORWARD = """
DROP TRIGGER IF EXISTS panorama_articlepresse_recherche ON panorama_articlepresse;
DROP FUNCTION IF EXISTS panorama_articlepresse_recherche();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


class Migration(migrations.Migration):
    dependencies = [("panorama", "0003_article_retenu_date_idx"), ("core", "0004_recherche")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
