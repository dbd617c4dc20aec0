"""Demo missions and town presentations."""

from __future__ import annotations

from datetime import date

from .models import Mission, Ville

PRESENTATIONS = {
    "blois": "Blois mène depuis 2018 la revitalisation de son centre historique : reconquête des "
    "logements vacants des quartiers Saint-Nicolas et Vienne, requalification des quais de Loire, "
    "soutien au commerce de la rue Denis-Papin.\n\nLa convention ORT a été signée en 2019.",
    "bourges": "Bourges articule son projet autour du secteur sauvegardé, de l'OPAH-RU du centre ancien "
    "et de la reconquête des rez-de-chaussée commerciaux.",
    "chartres": "Chartres concentre son action sur le pôle gare, l'habitat du centre ancien et les "
    "mobilités douces entre la gare et la cathédrale.",
    "vierzon": "Vierzon transforme ses friches industrielles et renouvelle l'habitat de son centre-ville, "
    "avec une attention particulière à la vacance commerciale.",
}

# (e-mail, town slugs, mission)
MISSIONS = [
    ("chef.blois@reseau-acv.test", ["blois"], Mission.Intitule.CHEF_ACV),
    ("chef.bourges@reseau-acv.test", ["bourges"], Mission.Intitule.CHEF_ACV),
    ("chef.chartres@reseau-acv.test", ["chartres"], Mission.Intitule.CHEF_ACV),
    ("chef.vierzon@reseau-acv.test", ["vierzon"], Mission.Intitule.CHEF_ACV),
    ("chef.pvd@reseau-acv.test", ["avord", "baugy"], Mission.Intitule.CHEF_PVD),
]


def seed_villes(users: dict) -> None:
    for slug, text in PRESENTATIONS.items():
        Ville.objects.filter(slug=slug).update(presentation=text, date_convention=date(2018, 9, 28))
    Ville.objects.filter(slug="blois").update(date_ort=date(2019, 12, 13))
    for email, slugs, intitule in MISSIONS:
        for ville in Ville.objects.filter(slug__in=slugs):
            Mission.objects.get_or_create(
                personne=users[email], ville=ville, intitule=intitule, defaults={"debut": date(2020, 3, 1)}
            )
