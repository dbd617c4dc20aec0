"""Demo organisations and accounts (refused in production settings by the ``demo`` command)."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from reseau_acv.core.models import Theme

from .models import Organisation, Role, User

# The demo accounts are established members: their first steps are behind them.
DEMO_ANCIENNETE_JOURS = 60
DEMO_PASSWORD = "demo-reseau-acv"  # noqa: S105 (published in the README; demo refused in production)

ORGANISATIONS = [
    ("Villes au Carré", "VAC", Organisation.Type.ANIMATION, "https://www.villesaucarre.org"),
    ("Préfecture de la région Centre-Val de Loire", "SGAR", Organisation.Type.ETAT, ""),
    ("Région Centre-Val de Loire", "Région", Organisation.Type.REGION, "https://www.centre-valdeloire.fr"),
    ("DREAL Centre-Val de Loire", "DREAL", Organisation.Type.ETAT, ""),
    ("Banque des Territoires", "BdT", Organisation.Type.OPERATEUR, "https://www.banquedesterritoires.fr"),
    ("Agence nationale de l'habitat", "Anah", Organisation.Type.OPERATEUR, "https://www.anah.gouv.fr"),
    ("Action Logement", "AL", Organisation.Type.OPERATEUR, ""),
    ("CCI Centre-Val de Loire", "CCI", Organisation.Type.CONSULAIRE, ""),
]

# The themes partner organisations cover, and the expertise some demo members declare.
ORGANISATION_THEMES = {
    "Banque des Territoires": ["financement", "commerce", "pilotage"],
    "Agence nationale de l'habitat": ["habitat"],
    "Action Logement": ["habitat"],
    "CCI Centre-Val de Loire": ["commerce"],
}
EXPERTISE = {
    "chef.blois@reseau-acv.test": (["habitat"], "OPAH-RU, repérage des logements vacants"),
    "chef.chartres@reseau-acv.test": (["commerce", "espace-public"], "Boutiques à l'essai, vacance commerciale"),
    "chef.bourges@reseau-acv.test": (["espace-public", "financement"], "Plan de relance, urbanisme transitoire"),
    "partenaire.anah@reseau-acv.test": (["habitat"], "Aides de l'Anah aux propriétaires bailleurs"),
}

# (e-mail, first name, last name, role, organisation, job title, directory consent, superuser)
ACCOUNTS = [
    (
        "admin@reseau-acv.test",
        "Camille",
        "Admin",
        Role.EQUIPE,
        "Villes au Carré",
        "Administration technique",
        False,
        True,
    ),
    (
        "equipe@reseau-acv.test",
        "Hélène",
        "Marchand",
        Role.EQUIPE,
        "Villes au Carré",
        "Chargée de mission réseau ACV",
        True,
        False,
    ),
    (
        "chef.blois@reseau-acv.test",
        "Julien",
        "Moreau",
        Role.CHEF_DE_PROJET,
        "Ville de Blois",
        "Chef de projet Action Cœur de Ville",
        True,
        False,
    ),
    (
        "chef.pvd@reseau-acv.test",
        "Sophie",
        "Lefèvre",
        Role.CHEF_DE_PROJET,
        "CC La Septaine",
        "Cheffe de projet Petites villes de demain",
        True,
        False,
    ),
    (
        "partenaire@reseau-acv.test",
        "Marc",
        "Dupuis",
        Role.PARTENAIRE,
        "Banque des Territoires",
        "Directeur territorial adjoint",
        True,
        False,
    ),
    (
        "chef.bourges@reseau-acv.test",
        "Nadia",
        "Benali",
        Role.CHEF_DE_PROJET,
        "Ville de Bourges",
        "Cheffe de projet Action Cœur de Ville",
        True,
        False,
    ),
    (
        "chef.chartres@reseau-acv.test",
        "Thomas",
        "Girard",
        Role.CHEF_DE_PROJET,
        "Ville de Chartres",
        "Chef de projet Action Cœur de Ville",
        True,
        False,
    ),
    (
        "chef.vierzon@reseau-acv.test",
        "Claire",
        "Rousseau",
        Role.CHEF_DE_PROJET,
        "Ville de Vierzon",
        "Cheffe de projet Action Cœur de Ville",
        False,
        False,
    ),
    (
        "partenaire.anah@reseau-acv.test",
        "Luc",
        "Fabre",
        Role.PARTENAIRE,
        "Agence nationale de l'habitat",
        "Chargé de mission habitat privé",
        True,
        False,
    ),
]


def seed_accounts() -> dict[str, User]:
    organisations = {}
    for nom, sigle, type_, site in ORGANISATIONS:
        organisations[nom], _ = Organisation.objects.update_or_create(
            nom=nom, defaults={"sigle": sigle, "type": type_, "site_web": site}
        )
    users = {}
    for email, first, last, role, org, fonction, consent, superuser in ACCOUNTS:
        if org not in organisations:
            organisations[org], _ = Organisation.objects.get_or_create(
                nom=org, defaults={"type": Organisation.Type.COLLECTIVITE}
            )
        user = User.objects.filter(email=email).first() or User(email=email)
        user.first_name, user.last_name, user.role = first, last, role
        user.organisation, user.fonction, user.consentement_annuaire = organisations[org], fonction, consent
        user.is_superuser = user.is_staff = superuser
        user.premiers_pas_le = user.premiers_pas_le or timezone.now() - timedelta(days=DEMO_ANCIENNETE_JOURS)
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        users[email] = user
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for nom, slugs in ORGANISATION_THEMES.items():
        if nom in organisations:
            organisations[nom].themes.set([themes[slug] for slug in slugs if slug in themes])
    for email, (slugs, words) in EXPERTISE.items():
        users[email].themes_expertise.set([themes[slug] for slug in slugs if slug in themes])
        users[email].expertise = words
        users[email].save(update_fields=["expertise"])
    return users
