from django.db import migrations


def preferences_to_follows(apps, schema_editor):
    """The towns and themes chosen for the digest become follows (core's one store of them)."""
    db = schema_editor.connection.alias
    Preferences = apps.get_model("accueil", "Preferences")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Suivi = apps.get_model("core", "Suivi")
    rows = []
    for field, app_label, model in (("villes", "villes", "ville"), ("themes", "core", "theme")):
        through = getattr(Preferences, field).through
        links = list(through.objects.using(db).values_list("preferences__user_id", f"{model}_id"))
        if not links:
            continue
        content_type, _created = ContentType.objects.using(db).get_or_create(app_label=app_label, model=model)
        rows += [Suivi(membre_id=user_id, cible_type_id=content_type.pk, cible_id=pk) for user_id, pk in links]
    Suivi.objects.using(db).bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def follows_to_preferences(apps, schema_editor):
    db = schema_editor.connection.alias
    Preferences = apps.get_model("accueil", "Preferences")
    Suivi = apps.get_model("core", "Suivi")
    for field, app_label, model in (("villes", "villes", "ville"), ("themes", "core", "theme")):
        through = getattr(Preferences, field).through
        follows = Suivi.objects.using(db).filter(cible_type__app_label=app_label, cible_type__model=model)
        for user_id, pk in follows.values_list("membre_id", "cible_id"):
            preferences, _created = Preferences.objects.using(db).get_or_create(user_id=user_id)
            through.objects.using(db).get_or_create(preferences_id=preferences.pk, **{f"{model}_id": pk})


class Migration(migrations.Migration):
    dependencies = [
        ("accueil", "0003_invitations_choix_notification"),
        ("core", "0006_notifications"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(preferences_to_follows, follows_to_preferences),
        migrations.RemoveField(model_name="preferences", name="themes"),
        migrations.RemoveField(model_name="preferences", name="villes"),
    ]
