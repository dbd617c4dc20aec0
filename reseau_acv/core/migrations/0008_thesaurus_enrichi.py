"""Adds the thesaurus entries written after the first seed to existing databases: the new groups,
and the new expressions of the starting groups. An expression already present anywhere is skipped
(staff may have added it); a starting group staff deleted is not recreated with only the additions."""

from django.db import migrations

# Expressions added to a starting group: the group is found by its first expression.
AJOUTS = {
    "DDT": ["DDTM", "direction départementale des territoires et de la mer"],
    "mobilité douce": ["modes doux", "modes actifs", "voies cyclables"],
    "vacance commerciale": ["commerces fermés", "cellules vides", "locaux commerciaux vacants", "vitrines vides"],
    "habitat indigne": ["habitat insalubre"],
    "stationnement": ["parc de stationnement", "aire de stationnement"],
}
NOUVEAUX_DEPUIS = "EPCI"  # the first group written after the first seed


def forward(apps, schema_editor):
    from reseau_acv.core.recherche.initial import THESAURUS
    from reseau_acv.core.recherche.thesaurus import split_expressions

    model = apps.get_model("core", "EntreeThesaurus")
    entries = list(model.objects.order_by("pk"))
    if not entries:
        return  # a database never seeded: the seed gives everything
    present = {e.lower() for entry in entries for e in split_expressions(entry.expressions)}
    for first, additions in AJOUTS.items():
        entry = next(
            (e for e in entries if first.lower() in {x.lower() for x in split_expressions(e.expressions)}), None
        )
        missing = [a for a in additions if a.lower() not in present]
        if entry is not None and missing:
            entry.expressions = "\n".join([*split_expressions(entry.expressions), *missing])
            entry.save(update_fields=["expressions", "modifie_le"])
            present.update(a.lower() for a in missing)
    start = next(i for i, line in enumerate(THESAURUS) if line.startswith(f"{NOUVEAUX_DEPUIS} ;"))
    for line in THESAURUS[start:]:
        missing = [e for e in split_expressions(line) if e.lower() not in present]
        if len(missing) >= 2:  # a lone expression is no equivalence
            model.objects.create(expressions="\n".join(missing))
            present.update(e.lower() for e in missing)
    from reseau_acv.core.recherche.thesaurus import forget

    forget()  # the search reads the new entries at once


class Migration(migrations.Migration):
    dependencies = [("core", "0007_recherche_paires")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
