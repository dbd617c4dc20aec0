import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from reseau_acv.comptes.models import Organisation, Role, User


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("nom",)

    nom = factory.Sequence(lambda n: f"Organisation {n}")
    type = Organisation.Type.COLLECTIVITE


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"membre{n}@reseau-acv.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.CHEF_DE_PROJET
    organisation = factory.SubFactory(OrganisationFactory)
    fonction = "Chef·fe de projet"
    consentement_annuaire = True
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-test")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            # Invited members' addresses are verified when they accept their invitation.
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class ChefDeProjetFactory(UserFactory):
    role = Role.CHEF_DE_PROJET


class PartenaireFactory(UserFactory):
    role = Role.PARTENAIRE
    fonction = "Chargé·e de mission"


class EquipeFactory(UserFactory):
    role = Role.EQUIPE
    fonction = "Animation du réseau"
