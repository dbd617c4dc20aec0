"""Fixtures of the accueil tests: content of the domain apps at a given date, a fixed clock."""

from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reseau_acv.core.visibility import Visibilite
from ressources.models import Question, Ressource, RetourExperience, Statut

PARIS = ZoneInfo("Europe/Paris")
# A Wednesday: the weekly digest covers Monday 16 to Monday 23 November 2026, the daily one the 24th.
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=PARIS)
IN_WEEK = datetime(2026, 11, 18, 14, 0, tzinfo=PARIS)
YESTERDAY = datetime(2026, 11, 24, 15, 0, tzinfo=PARIS)

_numbers = itertools.count(1)


def make_ressource(
    titre="Guide OPAH-RU", *, visibilite=Visibilite.RESEAU, publie_le=IN_WEEK, statut=Statut.PUBLIE, themes=(), **extra
):
    n = next(_numbers)
    ressource = Ressource.objects.create(
        titre=titre, slug=f"ressource-{n}", visibilite=visibilite, statut=statut, publie_le=publie_le, **extra
    )
    ressource.themes.set(themes)
    _index(ressource)
    return ressource


def _index(obj):
    """Index a row made directly, as the services do after each write."""
    from reseau_acv.accueil.search import GROUPES
    from reseau_acv.core.recherche import index_refresh

    index = next(g.index for g in GROUPES if g.index.model is type(obj))
    index_refresh(index, [obj.pk])


def make_question(
    titre="Qui a une convention ORT ?", *, visibilite=Visibilite.RESEAU, publie_le=IN_WEEK, themes=(), **extra
):
    n = next(_numbers)
    question = Question.objects.create(
        titre=titre, slug=f"question-{n}", visibilite=visibilite, statut=Statut.PUBLIE, publie_le=publie_le, **extra
    )
    question.themes.set(themes)
    _index(question)
    return question


def make_retour(titre, *, ville, visibilite=Visibilite.RESEAU, publie_le=IN_WEEK, **extra):
    n = next(_numbers)
    retour = RetourExperience.objects.create(
        titre=titre,
        slug=f"retour-{n}",
        ville=ville,
        visibilite=visibilite,
        statut=Statut.PUBLIE,
        publie_le=publie_le,
        contexte="Contexte",
        difficulte="Difficulté",
        type_difficulte=RetourExperience.Difficulte.FINANCEMENT,
        leviers="Leviers",
        type_levier=RetourExperience.Levier.PARTENARIAT,
        resultat="Résultat",
        **extra,
    )
    _index(retour)
    return retour


@pytest.fixture
def themes(db):
    """The seeded themes by slug (tests/conftest.py re-seeds them after a flush)."""
    from reseau_acv.core.models import Theme

    return {theme.slug: theme for theme in Theme.objects.all()}


def make_rencontre(titre="Séance des chef·fes de projet", *, visibilite=Visibilite.RESEAU, publiee_le=IN_WEEK, **extra):
    from datetime import timedelta

    from django.utils import timezone

    from rencontres.models import Rencontre

    debut = extra.pop("debut", timezone.now() + timedelta(days=10))
    rencontre = Rencontre.objects.create(
        titre=titre,
        debut=debut,
        fin=debut + timedelta(hours=2),
        statut=extra.pop("statut", Rencontre.Statut.PUBLIEE),
        publiee_le=publiee_le,
        visibilite=visibilite,
        **extra,
    )
    _index(rencontre)
    return rencontre


def make_article(titre="Vierzon relance son centre-ville", *, villes=(), visibilite=Visibilite.PARTENAIRES, **extra):
    from panorama.models import ArticlePresse

    article = ArticlePresse.objects.create(
        titre=titre,
        empreinte=titre.lower(),
        publie_le=extra.pop("publie_le", IN_WEEK),
        statut=extra.pop("statut", ArticlePresse.Statut.RETENU),
        trie_le=extra.pop("trie_le", IN_WEEK),
        visibilite=visibilite,
        **extra,
    )
    article.villes.set(villes)
    _index(article)
    return article


def make_edition(titre="Panorama de novembre", *, visibilite=Visibilite.PARTENAIRES, publiee_le=IN_WEEK):
    from panorama.models import Edition

    return Edition.objects.create(
        titre=titre,
        debut=IN_WEEK.date().replace(day=1),
        fin=IN_WEEK.date(),
        statut=Edition.Statut.PUBLIEE,
        publiee_le=publiee_le,
        visibilite=visibilite,
    )
