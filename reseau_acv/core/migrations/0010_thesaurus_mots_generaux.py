"""Takes out of the thesaurus the expressions of 0009 that hold a word any question may use
(« trouver », « lutte », « attirer », « modèle », « coût », « demande »…): when nothing holds a
query, its relaxed form reaches every group one of whose expressions holds one of its words, so
« comment lutter contre les rideaux baissés » reached the groups of « lutte contre l'habitat
indigne ». Only these expressions are removed, wherever they are; the rest of each group stays."""

from django.db import migrations

RETIREES = [
    "lutte contre l'habitat indigne",
    "accompagnement aux démarches",
    "trouver des financements",
    "attirer des commerçants",
    "recherche d'enseignes",
    "attirer de nouveaux habitants",
    "devenir propriétaire",
    "mesure de fréquentation",
    "perte de population",
    "perte d'habitants",
    "baisse de population",
    "coût de l'énergie",
    "travail à distance",
    "espace de travail partagé",
    "modèle économique",
    "équilibre économique",
    "demande de logement",
    "besoins en logement",
    "création d'entreprises",
    "assises",
]


def forward(apps, schema_editor):
    from reseau_acv.core.recherche.thesaurus import forget, split_expressions

    model = apps.get_model("core", "EntreeThesaurus")
    removed = {e.lower() for e in RETIREES}
    for entry in model.objects.order_by("pk"):
        expressions = split_expressions(entry.expressions)
        kept = [e for e in expressions if e.lower() not in removed]
        if len(kept) < len(expressions) and len(kept) >= 2:
            entry.expressions = "\n".join(kept)
            entry.save(update_fields=["expressions", "modifie_le"])
    forget()


class Migration(migrations.Migration):
    dependencies = [("core", "0009_thesaurus_large")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
