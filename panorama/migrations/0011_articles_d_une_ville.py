"""A town's press section reads the town's links first: the links of a town, by town then article
(the unique constraint is by article then town), read from the index alone; and each linked
article checked kept and of its level in an index of kept articles, without reading its row."""

from django.db import migrations, models


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS panorama_articlepresse_villes_ville_article "
            "ON panorama_articlepresse_villes (ville_id, articlepresse_id)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS panorama_articlepresse_villes_ville_article")


class Migration(migrations.Migration):
    dependencies = [("panorama", "0010_article_retenu_date_niveau_idx")]

    operations = [
        migrations.AddIndex(
            model_name="articlepresse",
            index=models.Index(
                condition=models.Q(("statut", "retenu")),
                fields=["id", "visibilite"],
                name="article_retenu_niveau_idx",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
