import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from panorama.matching import title_fingerprint
from panorama.models import ArticlePresse, Edition, Parution, Source
from reseau_acv.core.visibility import Visibilite


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    nom = factory.Sequence(lambda n: f"Journal régional {n}")
    site_web = "https://presse.example"
    url_flux = factory.Sequence(lambda n: f"https://presse.example/flux/{n}.xml")
    departements = "41"


class ArticleFactory(DjangoModelFactory):
    """A kept article with one appearance (``parution``) in a source."""

    class Meta:
        model = ArticlePresse
        skip_postgeneration_save = True

    titre = factory.Sequence(lambda n: f"Blois : la rue numéro {n} rénovée")
    empreinte = factory.LazyAttribute(lambda o: title_fingerprint(o.titre))
    publie_le = factory.LazyFunction(timezone.now)
    statut = ArticlePresse.Statut.RETENU
    visibilite = Visibilite.PARTENAIRES
    resume = "Résumé de l'équipe."

    @factory.post_generation
    def parution(obj, create, extracted, **kwargs):
        if create:
            source = kwargs.get("source") or SourceFactory()
            Parution.objects.create(
                article=obj,
                source=source,
                url=f"https://presse.example/article/{obj.pk}",
                url_canonique=f"https://presse.example/article/{obj.pk}",
                titre=obj.titre,
                publie_le=obj.publie_le,
                resume_flux=kwargs.get("resume_flux", "Texte de l'article réservé à l'éditeur."),
            )

    @factory.post_generation
    def villes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.villes.add(*extracted)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.add(*extracted)

    @factory.post_generation
    def indexed(obj, create, extracted, **kwargs):
        if create:
            from panorama.recherche import refresh

            refresh([obj.pk])  # as ingestion and curation do


class EditionFactory(DjangoModelFactory):
    class Meta:
        model = Edition

    titre = factory.Sequence(lambda n: f"Panorama n° {n}")
    debut = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    fin = factory.LazyFunction(timezone.localdate)
    introduction = "Ce mois-ci, **l'habitat**."
    statut = Edition.Statut.PUBLIEE
    publiee_le = factory.LazyFunction(timezone.now)
    visibilite = Visibilite.PARTENAIRES
