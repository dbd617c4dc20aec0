from django.core.management.base import BaseCommand

from panorama import services


class Command(BaseCommand):
    help = "Crée ou met à jour les sources de presse depuis data/reference/press_sources_centre_val_de_loire.csv."

    def handle(self, *args, **options):
        count = services.sources_import()
        rules = services.regles_seed_defaults()
        self.stdout.write(
            self.style.SUCCESS(f"{count} sources de presse importées ; {rules} règles de mots-clés créées.")
        )
