"""Editions composed by staff: the chosen articles get an order (a through model), and a grouping.

Existing editions keep their articles, in the order of their publication dates."""

from django.db import migrations, models


def copy_articles(apps, schema_editor):
    Edition = apps.get_model("panorama", "Edition")
    EditionArticle = apps.get_model("panorama", "EditionArticle")
    rows = []
    for edition in Edition.objects.all():
        for ordre, article in enumerate(edition.anciens_articles.order_by("publie_le", "pk")):
            rows.append(EditionArticle(edition=edition, article=article, ordre=ordre))
    EditionArticle.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("panorama", "0004_exception_etiquetage")]

    operations = [
        migrations.RenameField(model_name="edition", old_name="articles", new_name="anciens_articles"),
        migrations.CreateModel(
            name="EditionArticle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("ordre", models.PositiveIntegerField(default=0, verbose_name="ordre")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE, related_name="choix_editions", to="panorama.articlepresse"
                    ),
                ),
                (
                    "edition",
                    models.ForeignKey(on_delete=models.deletion.CASCADE, related_name="choix", to="panorama.edition"),
                ),
            ],
            options={
                "verbose_name": "article d'une édition",
                "verbose_name_plural": "articles d'une édition",
                "ordering": ["edition", "ordre", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("edition", "article"), name="edition_article_une_fois")
                ],
            },
        ),
        migrations.RunPython(copy_articles, migrations.RunPython.noop),
        migrations.RemoveField(model_name="edition", name="anciens_articles"),
        migrations.AddField(
            model_name="edition",
            name="articles",
            field=models.ManyToManyField(
                blank=True,
                related_name="editions",
                through="panorama.EditionArticle",
                to="panorama.articlepresse",
                verbose_name="articles",
            ),
        ),
        migrations.AddField(
            model_name="edition",
            name="regroupement",
            field=models.CharField(
                choices=[("ville", "par ville"), ("theme", "par thème")],
                default="ville",
                max_length=8,
                verbose_name="regrouper les articles",
            ),
        ),
    ]
