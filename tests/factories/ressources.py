import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reseau_acv.core.visibility import Visibilite
from ressources.models import Message, Question, Ressource, RetourExperience, Statut

from .comptes import ChefDeProjetFactory
from .villes import VilleFactory


class RessourceFactory(DjangoModelFactory):
    """A published resource (a link). Build rows through the services when the search index matters."""

    class Meta:
        model = Ressource

    titre = factory.Sequence(lambda n: f"Ressource {n}")
    slug = factory.Sequence(lambda n: f"ressource-{n}")
    resume = "Un résumé."
    type = Ressource.Type.FICHE_METHODE
    lien = "https://www.example.org/ressource"
    auteur = factory.SubFactory(ChefDeProjetFactory)
    visibilite = Visibilite.RESEAU
    statut = Statut.PUBLIE
    publie_le = factory.LazyFunction(timezone.now)


class RetourExperienceFactory(DjangoModelFactory):
    class Meta:
        model = RetourExperience

    titre = factory.Sequence(lambda n: f"Retour d'expérience {n}")
    slug = factory.Sequence(lambda n: f"retour-{n}")
    ville = factory.SubFactory(VilleFactory)
    contexte = "Contexte."
    difficulte = "Difficulté."
    type_difficulte = RetourExperience.Difficulte.FINANCEMENT
    leviers = "Leviers."
    type_levier = RetourExperience.Levier.PARTENARIAT
    resultat = "Résultat."
    auteur = factory.SubFactory(ChefDeProjetFactory)
    visibilite = Visibilite.RESEAU
    statut = Statut.PUBLIE
    publie_le = factory.LazyFunction(timezone.now)


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    titre = factory.Sequence(lambda n: f"Question {n} ?")
    slug = factory.Sequence(lambda n: f"question-{n}")
    corps = "Précisions."
    auteur = factory.SubFactory(ChefDeProjetFactory)
    visibilite = Visibilite.RESEAU
    statut = Statut.PUBLIE
    publie_le = factory.LazyFunction(timezone.now)


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    question = factory.SubFactory(QuestionFactory)
    auteur = factory.SubFactory(ChefDeProjetFactory)
    corps = "Une réponse utile."
