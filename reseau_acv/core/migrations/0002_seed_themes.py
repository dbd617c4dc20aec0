from django.db import migrations

from reseau_acv.core.themes import themes_seed


def seed(apps, schema_editor):
    themes_seed(apps.get_model("core", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
