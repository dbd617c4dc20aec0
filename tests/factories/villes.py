import factory
from factory.django import DjangoModelFactory

from villes.models import Mission, Programme, Ville

from .comptes import ChefDeProjetFactory


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = "acv"
    nom = "Action Cœur de Ville"
    sigle = "ACV"


class VilleFactory(DjangoModelFactory):
    class Meta:
        model = Ville
        skip_postgeneration_save = True

    code_insee = factory.Sequence(lambda n: f"{41000 + n:05d}")
    nom = factory.Sequence(lambda n: f"Ville {n}")
    slug = factory.Sequence(lambda n: f"ville-{n}")
    departement_code = "41"
    departement_nom = "Loir-et-Cher"
    population = 12000
    latitude = factory.Sequence(lambda n: f"{47 + (n % 100) / 100:.5f}")
    longitude = factory.Sequence(lambda n: f"{1 + (n % 100) / 100:.5f}")

    @factory.post_generation
    def programmes(obj, create, extracted, **kwargs):
        if create:
            obj.programmes.add(*(extracted or [ProgrammeFactory()]))
            from reseau_acv.core.recherche import index_refresh
            from villes.recherche import VILLE

            index_refresh(VILLE, [obj.pk])  # as the town import does


class MissionFactory(DjangoModelFactory):
    class Meta:
        model = Mission

    personne = factory.SubFactory(ChefDeProjetFactory)
    ville = factory.SubFactory(VilleFactory)
    intitule = Mission.Intitule.CHEF_ACV
