"""Adds the broad thesaurus to existing databases (``AJOUTS_LARGES``: new expressions of starting
groups; ``NOUVEAUX_LARGES``: new groups — see ``reseau_acv.core.recherche.initial``). As in 0008,
an expression already present anywhere is skipped (staff may have added it), a starting group
staff deleted is not recreated with only the additions, and a new group is created only when at
least two of its expressions are missing (a lone expression is no equivalence)."""

from django.db import migrations


def forward(apps, schema_editor):
    from reseau_acv.core.recherche.initial import AJOUTS_LARGES, NOUVEAUX_LARGES
    from reseau_acv.core.recherche.thesaurus import forget, split_expressions

    model = apps.get_model("core", "EntreeThesaurus")
    entries = list(model.objects.order_by("pk"))
    if not entries:
        return  # a database never seeded: the seed gives everything
    present = {e.lower() for entry in entries for e in split_expressions(entry.expressions)}
    for first, additions in AJOUTS_LARGES.items():
        entry = next(
            (e for e in entries if first.lower() in {x.lower() for x in split_expressions(e.expressions)}), None
        )
        missing = [a for a in additions if a.lower() not in present]
        if entry is not None and missing:
            entry.expressions = "\n".join([*split_expressions(entry.expressions), *missing])
            entry.save(update_fields=["expressions", "modifie_le"])
            present.update(a.lower() for a in missing)
    for line in NOUVEAUX_LARGES:
        missing = [e for e in split_expressions(line) if e.lower() not in present]
        if len(missing) >= 2:
            model.objects.create(expressions="\n".join(missing))
            present.update(e.lower() for e in missing)
    forget()  # the search reads the new entries at once


class Migration(migrations.Migration):
    dependencies = [("core", "0008_thesaurus_enrichi")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
