"""Demo meetings: the leads' video sessions since March 2020, a site visit in Cahors, the
regional plenaries (the second one in January 2021) with their materials, and what comes next.

Rows are written directly (no invitation e-mail leaves for demo data); materials go through the
library's services. Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reseau_acv.core.models import Theme
from reseau_acv.core.visibility import Visibilite
from ressources import services as ressources_services
from ressources.demo import PDF_DEMO
from ressources.models import Ressource
from villes.models import Ville

from .models import Inscription, PointOrdreDuJour, Rencontre

PARIS = ZoneInfo("Europe/Paris")
LEADS = [
    "chef.blois@reseau-acv.test",
    "chef.bourges@reseau-acv.test",
    "chef.chartres@reseau-acv.test",
    "chef.vierzon@reseau-acv.test",
    "chef.pvd@reseau-acv.test",
]
PARTNERS = ["partenaire@reseau-acv.test", "partenaire.anah@reseau-acv.test"]

# The leads' working sessions by video during and after the lockdowns: (date, subject, theme).
SEANCES = [
    ((2020, 3, 26), "Continuité des projets pendant le confinement", "pilotage"),
    ((2020, 4, 23), "Soutien aux commerces fermés : les premières mesures des villes", "commerce"),
    ((2020, 5, 28), "Réouverture des centres-villes et espaces publics", "espace-public"),
    ((2020, 6, 25), "Monter une OPAH-RU en centre ancien", "habitat"),
    ((2020, 9, 24), "Le plan de relance et les villes ACV", "financement"),
    ((2020, 10, 22), "Foncières commerciales et reconquête des rez-de-chaussée", "commerce"),
    ((2020, 11, 26), "Second confinement : actions de soutien au commerce", "commerce"),
    ((2020, 12, 17), "Accueillir les chefs de projet Petites villes de demain", "pilotage"),
    ((2021, 2, 25), "Mobilités douces entre gare et centre-ville", "mobilite"),
    ((2021, 3, 25), "Numérique : vitrines et places de marché locales", "numerique"),
    ((2021, 4, 22), "Îlots de fraîcheur et transition écologique des centres", "transition-ecologique"),
    ((2021, 6, 24), "Bilan de l'année et programme 2021-2022", "pilotage"),
]


def _at(day: tuple[int, int, int], hour: int, minute: int = 0) -> datetime:
    return datetime(*day, hour, minute, tzinfo=PARIS)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_DEMO, content_type="application/pdf")


def _material(staff, *, titre: str, kind: str, visibilite: str, fichier: str, day) -> Ressource:
    return ressources_services.ressource_create(
        actor=staff,
        data={
            "titre": titre,
            "type": kind,
            "visibilite": visibilite,
            "source": "Villes au Carré",
            "date_document": day,
            "resume": f"Support de la rencontre : {titre}.",
        },
        fichier=_pdf(fichier),
    )


def _register(rencontre: Rencontre, users: list, *, present: bool | None = None) -> None:
    Inscription.objects.bulk_create(
        [Inscription(rencontre=rencontre, membre=user, present=present) for user in users], ignore_conflicts=True
    )


def seed_rencontres(users: dict) -> None:
    """Create the demo meetings once; a second run finds them and does nothing."""
    if Rencontre.objects.exists():
        return
    staff = users["equipe@reseau-acv.test"]
    leads = [users[email] for email in LEADS if email in users]
    partners = [users[email] for email in PARTNERS if email in users]
    themes = {t.slug: t for t in Theme.objects.all()}
    villes = {v.slug: v for v in Ville.objects.filter(slug__in=["cahors", "blois", "bourges", "chinon", "vierzon"])}
    now = timezone.now()

    for day, sujet, theme in SEANCES:
        rencontre = Rencontre.objects.create(
            type=Rencontre.Type.SEANCE_CHEFS,
            titre=f"Séance des chef·fes de projet : {sujet}",
            resume="Séance de travail des chef·fes de projet ACV du réseau régional, en visioconférence.",
            debut=_at(day, 14),
            fin=_at(day, 16),
            format=Rencontre.Format.VISIO,
            lien_visio="https://visio.villesaucarre.example/reseau-acv",
            visibilite=Visibilite.RESEAU,
            statut=Rencontre.Statut.TENUE,
            cree_par=staff,
            publiee_le=_at(day, 9) - timedelta(days=14),
            compte_rendu=f"Les chef·fes de projet ont échangé sur : **{sujet.lower()}**. "
            "Le relevé de décisions est partagé dans la bibliothèque.",
        )
        if theme in themes:
            rencontre.themes.add(themes[theme])
        _register(rencontre, leads, present=True)

    cahors = villes.get("cahors")
    visite = Rencontre.objects.create(
        type=Rencontre.Type.VISITE,
        titre="Visite de Cahors, ville d'appui : le plan « Cahors cœur de ville »",
        resume="Une journée à Cahors pour découvrir la reconquête des îlots anciens et des commerces du centre.",
        debut=_at((2021, 9, 23), 9, 30),
        fin=_at((2021, 9, 23), 17),
        format=Rencontre.Format.PRESENTIEL,
        ville=cahors,
        adresse="Hôtel de ville, 73 boulevard Gambetta",
        visibilite=Visibilite.RESEAU,
        capacite=25,
        statut=Rencontre.Statut.TENUE,
        cree_par=staff,
        publiee_le=_at((2021, 8, 30), 9),
    )
    visite.themes.add(*[themes[s] for s in ("habitat", "commerce", "espace-public") if s in themes])
    _register(visite, leads[:4], present=True)

    plenieres = [
        (
            (2020, 2, 6),
            "Première rencontre régionale du réseau Action Cœur de Ville",
            Rencontre.Format.PRESENTIEL,
            "Hôtel de Région, 9 rue Saint-Pierre-Lentin, Orléans",
            [
                ("09:30", "Accueil par la Préfecture de Région et la Région", "pilotage"),
                ("10:00", "Le réseau régional : objectifs et fonctionnement", "pilotage"),
                ("11:00", "Ateliers : habitat, commerce, espaces publics", "habitat"),
            ],
        ),
        (
            (2021, 1, 28),
            "Deuxième rencontre régionale du réseau Action Cœur de Ville",
            Rencontre.Format.VISIO,
            "",
            [
                ("09:30", "Ouverture : le programme ACV prolongé jusqu'en 2026", "pilotage"),
                ("10:00", "Le plan de relance au service des centres-villes", "financement"),
                ("11:00", "Petites villes de demain : 99 communes de la région", "pilotage"),
                ("11:45", "Retours d'expérience : soutien aux commerces pendant le confinement", "commerce"),
            ],
        ),
    ]
    for day, titre, fmt, adresse, points in plenieres:
        pleniere = Rencontre.objects.create(
            type=Rencontre.Type.PLENIERE,
            titre=titre,
            resume="La rencontre annuelle de tous les partenaires du réseau régional, animée par Villes au Carré.",
            debut=_at(day, 9, 30),
            fin=_at(day, 12, 30),
            format=fmt,
            adresse=adresse,
            lien_visio="https://visio.villesaucarre.example/pleniere" if fmt != Rencontre.Format.PRESENTIEL else "",
            visibilite=Visibilite.PARTENAIRES,
            statut=Rencontre.Statut.TENUE,
            cree_par=staff,
            publiee_le=_at(day, 9) - timedelta(days=30),
            compte_rendu="Les partenaires ont présenté leurs dispositifs ; les villes ont partagé leurs "
            "priorités. Le relevé complet est joint.",
        )
        pleniere.themes.add(*[themes[s] for s in ("pilotage", "financement") if s in themes])
        PointOrdreDuJour.objects.bulk_create(
            [
                PointOrdreDuJour(
                    rencontre=pleniere,
                    ordre=i,
                    horaire=datetime.strptime(hour, "%H:%M").time(),  # noqa: DTZ007 (a wall-clock time of day)
                    titre=point,
                    theme=themes.get(theme),
                )
                for i, (hour, point, theme) in enumerate(points, start=1)
            ]
        )
        year = day[0]
        pleniere.materiaux.add(
            _material(
                staff,
                titre=f"Diaporama de la rencontre régionale {year}",
                kind=Ressource.Type.PRESENTATION,
                visibilite=Visibilite.PARTENAIRES,
                fichier=f"diaporama-rencontre-regionale-{year}.pdf",
                day=_at(day, 9).date(),
            ),
            _material(
                staff,
                titre=f"Compte rendu de la rencontre régionale {year}",
                kind=Ressource.Type.COMPTE_RENDU,
                visibilite=Visibilite.PARTENAIRES,
                fichier=f"compte-rendu-rencontre-regionale-{year}.pdf",
                day=_at(day, 9).date() + timedelta(days=10),
            ),
        )
        _register(pleniere, [*leads, *partners, staff], present=True)

    upcoming = [
        (
            Rencontre.Type.SEANCE_CHEFS,
            "Séance des chef·fes de projet : préparer la fin du programme",
            12,
            14,
            Rencontre.Format.VISIO,
            None,
            Visibilite.RESEAU,
            20,
            "pilotage",
        ),
        (
            Rencontre.Type.WEBINAIRE,
            "Webinaire : la vacance commerciale, mesurer et agir",
            33,
            11,
            Rencontre.Format.VISIO,
            None,
            Visibilite.PUBLIC,
            100,
            "commerce",
        ),
        (
            Rencontre.Type.RDV_REVITALISATION,
            "Rendez-vous de la revitalisation : habiter le centre ancien",
            47,
            9,
            Rencontre.Format.HYBRIDE,
            "bourges",
            Visibilite.PARTENAIRES,
            60,
            "habitat",
        ),
    ]
    for kind, titre, days, hour, fmt, ville_slug, level, capacite, theme in upcoming:
        debut = timezone.localtime(now + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
        rencontre = Rencontre.objects.create(
            type=kind,
            titre=titre,
            resume="Inscription ouverte aux membres du réseau.",
            debut=debut,
            fin=debut + timedelta(hours=2),
            format=fmt,
            ville=villes.get(ville_slug) if ville_slug else None,
            adresse="Hôtel de ville" if ville_slug else "",
            lien_visio="https://visio.villesaucarre.example/reseau-acv",
            visibilite=level,
            capacite=capacite,
            date_limite_inscription=debut - timedelta(days=2),
            statut=Rencontre.Statut.PUBLIEE,
            cree_par=staff,
            publiee_le=now,
            ordre_du_jour="1. Tour de table des villes\n2. Intervention\n3. Échanges",
        )
        if theme in themes:
            rencontre.themes.add(themes[theme])
        _register(rencontre, leads[:2])
