"""Demo press panorama: sources, feeds written by the team (read from disk), curation, an edition."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reseau_acv.core.permissions import is_equipe
from reseau_acv.core.visibility import Visibilite

from . import services
from .models import AbonnementEdition, ArticlePresse, Edition, Source

FEEDS = Path(__file__).resolve().parent / "demo_feeds"

DEMO_SOURCES = [
    ("La Nouvelle République – Loir-et-Cher (démo)", "nr_loir_et_cher.xml", "41"),
    ("L'Écho Républicain (démo)", "echo_eure_et_loir.xml", "28"),
    ("Le Berry Républicain (démo)", "berry_cher_indre.xml", "18;36"),
    ("France 3 Centre-Val de Loire (démo, flux cassé)", "regional_malforme.xml", "18;28;36;37;41;45"),
]

SUMMARIES = {
    "Blois : la rue du Commerce": "Fin du chantier de la rue du Commerce : trottoirs élargis, circulation apaisée ; "
    "les commerçants attendent le retour de la clientèle avant les fêtes.",
    "Bourges : l'OPAH-RU": "L'OPAH-RU du centre ancien est prolongée : les propriétaires gardent l'accès aux aides "
    "de l'Anah et de la ville pour rénover les logements vacants.",
    "Dreux : 120 logements": "Bilan habitat d'Action Cœur de Ville à Dreux : 120 logements vacants remis sur le marché, "
    "surtout dans les étages au-dessus des commerces.",
    "Chartres : le pôle gare": "Premières ouvertures de commerces dans le nouveau quartier de la gare.",
    "Vierzon : la friche Case": "La friche Case sera renaturée en parc : un exemple pour les villes qui ont des friches "
    "industrielles en centre-ville.",
    "Nogent-le-Rotrou : la friche Chaumont": "Un tiers-lieu dans une ancienne friche : coworking, ateliers, café associatif.",
    "Châteauroux : la place Voltaire": "Place Voltaire : plus d'arbres et d'espace piéton après les travaux.",
    "Aubigny-sur-Nère : la ville signe": "Aubigny-sur-Nère signe sa convention Petites villes de demain.",
}


def seed_panorama(users: dict) -> None:
    services.sources_import()
    services.regles_seed_defaults()
    equipe = next(u for u in users.values() if is_equipe(u))
    for nom, filename, departements in DEMO_SOURCES:
        source, _created = Source.objects.update_or_create(
            nom=nom, defaults={"url_flux": str(FEEDS / filename), "departements": departements, "actif": True}
        )
        services.ingest_source(source_id=source.pk, force=True)
    for article in ArticlePresse.objects.queue().prefetch_related("villes", "themes"):
        resume = next((text for start, text in SUMMARIES.items() if article.titre.startswith(start)), None)
        if resume is None:
            continue
        services.article_review(
            actor=equipe,
            article=article,
            keep=True,
            villes=list(article.villes.all()),
            themes=list(article.themes.all()),
            resume=resume,
            visibilite=Visibilite.PARTENAIRES,
        )
    for user in users.values():
        AbonnementEdition.objects.get_or_create(membre=user, defaults={"actif": True})
    edition = Edition.objects.filter(titre="Panorama de presse — octobre 2026").first()
    if edition is None:
        edition = services.edition_save(
            actor=equipe,
            titre="Panorama de presse — octobre 2026",
            debut=date(2026, 10, 1),
            fin=date(2026, 10, 31),
            introduction="Ce mois-ci, **l'habitat** domine : l'OPAH-RU de Bourges prolongée, 120 logements "
            "rénovés à Dreux. Les friches deviennent parcs et tiers-lieux à Vierzon et Nogent-le-Rotrou.",
            visibilite=Visibilite.PARTENAIRES,
        )
    services.edition_publish(actor=equipe, edition=edition)
