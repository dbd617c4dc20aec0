from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from rencontres.models import Inscription, PointOrdreDuJour, Rencontre
from reseau_acv.core.visibility import Visibilite

from .comptes import ChefDeProjetFactory


class RencontreFactory(DjangoModelFactory):
    class Meta:
        model = Rencontre
        skip_postgeneration_save = True

    type = Rencontre.Type.SEANCE_CHEFS
    titre = factory.Sequence(lambda n: f"Séance de travail des chef·fes de projet n° {n}")
    resume = "Échanges sur l'OPAH-RU et le plan de relance."
    debut = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=20))
    fin = factory.LazyAttribute(lambda o: o.debut + timedelta(hours=2))
    format = Rencontre.Format.VISIO
    lien_visio = "https://visio.example.org/reseau-acv-secret"
    ordre_du_jour = "1. Tour de table\n2. OPAH-RU"
    visibilite = Visibilite.RESEAU
    statut = Rencontre.Statut.PUBLIEE
    publiee_le = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.add(*extracted)


class PointOrdreDuJourFactory(DjangoModelFactory):
    class Meta:
        model = PointOrdreDuJour

    rencontre = factory.SubFactory(RencontreFactory)
    titre = factory.Sequence(lambda n: f"Point {n}")
    ordre = factory.Sequence(int)


class InscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Inscription

    rencontre = factory.SubFactory(RencontreFactory)
    membre = factory.SubFactory(ChefDeProjetFactory)
    statut = Inscription.Statut.INSCRIT
