from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from panorama.demo import seed_panorama
from rencontres.demo import seed_rencontres
from reseau_acv.accueil.demo import seed_accueil
from reseau_acv.accueil.search import reindex_all
from reseau_acv.comptes.demo import ACCOUNTS, DEMO_PASSWORD, seed_accounts
from ressources.demo import backdate_publications, seed_ressources
from villes.demo import seed_villes


class Command(BaseCommand):
    help = "Crée les données de démonstration et un compte par rôle (refusé en production)."

    def handle(self, *args, **options):
        if not settings.DEMO_ALLOWED:
            raise CommandError("Les données de démonstration sont refusées avec ces réglages (production).")
        call_command("import_villes", stdout=self.stdout)
        users = seed_accounts()
        seed_villes(users)
        seed_ressources(users)
        seed_rencontres(users)
        backdate_publications()
        seed_panorama(users)
        seed_accueil(users)
        reindex_all()  # demo rows are written directly: index them as the services would
        self.stdout.write(
            self.style.SUCCESS(f"Données de démonstration prêtes. Comptes (mot de passe « {DEMO_PASSWORD} ») :")
        )
        for email, _first, _last, role, *_rest in ACCOUNTS[:5]:
            self.stdout.write(f"  {email:32} {role}")
