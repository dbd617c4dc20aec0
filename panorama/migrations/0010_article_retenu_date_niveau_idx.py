"""The level of kept articles becomes a key of their date index (it was an included column): a
town's latest articles, read by date and joined to the town, then skip in the index the articles of
levels the visitor may not see, instead of reading each of their rows first."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("panorama", "0009_article_recherche_retenus")]

    operations = [
        migrations.RemoveIndex(model_name="articlepresse", name="article_retenu_date_idx"),
        migrations.AddIndex(
            model_name="articlepresse",
            index=models.Index(
                condition=models.Q(("statut", "retenu")),
                fields=["-publie_le", "-id", "visibilite"],
                name="article_retenu_date_niveau_idx",
            ),
        ),
    ]
