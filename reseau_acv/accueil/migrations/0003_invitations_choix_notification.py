from django.db import migrations


def invitations_to_core_choices(apps, schema_editor):
    """A member who turned meeting invitations off keeps that choice, now core's « jamais »."""
    Preferences = apps.get_model("accueil", "Preferences")
    ChoixNotification = apps.get_model("core", "ChoixNotification")
    db = schema_editor.connection.alias
    refused = Preferences.objects.using(db).filter(invitations_rencontres=False).values_list("user_id", flat=True)
    ChoixNotification.objects.using(db).bulk_create(
        [ChoixNotification(membre_id=user_id, type="invitation", envoi="jamais") for user_id in list(refused)],
        ignore_conflicts=True,
        batch_size=1000,
    )


def core_choices_to_invitations(apps, schema_editor):
    Preferences = apps.get_model("accueil", "Preferences")
    ChoixNotification = apps.get_model("core", "ChoixNotification")
    db = schema_editor.connection.alias
    refused = ChoixNotification.objects.using(db).filter(type="invitation").exclude(envoi="immediat").values("membre_id")
    Preferences.objects.using(db).filter(user_id__in=refused).update(invitations_rencontres=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accueil", "0002_journal_donnees"),
        ("core", "0006_notifications"),
    ]

    operations = [
        migrations.RunPython(invitations_to_core_choices, core_choices_to_invitations),
        migrations.RemoveField(model_name="preferences", name="invitations_rencontres"),
    ]
