"""Questions reach the people who know: suggested members on the question page, and « solliciter »."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reseau_acv.comptes.models import User
from reseau_acv.core.models import Notification, Theme
from reseau_acv.core.visibility import Visibilite
from ressources import services
from ressources.models import RetourExperience, Sollicitation
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, OrganisationFactory, PartenaireFactory
from tests.factories.ressources import MessageFactory, QuestionFactory, RessourceFactory, RetourExperienceFactory

pytestmark = pytest.mark.django_db


def _theme(slug):
    return Theme.objects.get(slug=slug)


def _question(auteur, titre="Comment remplir les cellules commerciales vides ?", themes=("commerce",), **extra):
    question = QuestionFactory(auteur=auteur, titre=titre, **extra)
    question.themes.set([_theme(s) for s in themes])
    return question


def _sheet(auteur, themes=("commerce",), **extra):
    retour = RetourExperienceFactory(auteur=auteur, **extra)
    retour.themes.set([_theme(s) for s in themes])
    return retour


def _card(page: str) -> str:
    assert 'id="qui-sait"' in page
    return page.split('id="qui-sait"', 1)[1].split("</section>", 1)[0]


def test_on_demo_data_a_question_on_shop_vacancy_proposes_the_author_of_the_sheet():
    """On the demo data, a question about « vacance commerciale » proposes first the author of the Chartres sheet on vacant shops."""
    call_command("demo", stdout=StringIO())
    asker = User.objects.get(email="chef.pvd@reseau-acv.test")
    question = services.question_create(
        actor=asker,
        data={
            "titre": "Comment lutter contre la vacance commerciale dans notre centre-bourg ?",
            "corps": "Plusieurs vitrines sont vides rue principale.",
            "visibilite": Visibilite.RESEAU,
        },
        themes=[_theme("commerce")],
    )
    from django.test import Client

    client = Client()
    client.force_login(asker)
    page = client.get(question.get_absolute_url()).content.decode()
    card = _card(page)
    chartres = User.objects.get(email="chef.chartres@reseau-acv.test")
    first = card.split('class="suggestion"', 2)[1]
    assert str(chartres) in first
    assert "Occuper les cellules vacantes avec des boutiques à l&#x27;essai" in first
    assert "même difficulté : vacance commerciale" in first
    assert str(asker) not in card
    assert card.count('name="membre"') <= 5
    # Vierzon's lead is not in the directory: the asker is not shown her; staff are.
    vierzon = User.objects.get(email="chef.vierzon@reseau-acv.test")
    assert str(vierzon) not in card
    client.force_login(User.objects.get(email="equipe@reseau-acv.test"))
    assert str(vierzon) in _card(client.get(question.get_absolute_url()).content.decode())


@pytest.mark.parametrize(("factory", "shown"), [(ChefDeProjetFactory, False), (EquipeFactory, True)])
def test_suggestions_show_to_the_asker_and_staff_only(client, factory, shown):
    """The asker and staff see « Qui pourrait répondre ? »; another lead does not."""
    asker = ChefDeProjetFactory()
    question = _question(asker)
    _sheet(ChefDeProjetFactory(last_name="Expert"))
    client.force_login(asker)
    assert "Expert" in _card(client.get(question.get_absolute_url()).content.decode())
    client.force_login(factory())
    assert ('id="qui-sait"' in client.get(question.get_absolute_url()).content.decode()) is shown


def test_partners_and_visitors_never_see_suggestions(client):
    """A partner sees a partners' question without the suggestions; an anonymous visitor a public one without them."""
    asker = ChefDeProjetFactory()
    question = _question(asker, visibilite=Visibilite.PUBLIC)
    _sheet(ChefDeProjetFactory(), visibilite=Visibilite.PUBLIC)
    assert 'id="qui-sait"' not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(PartenaireFactory())
    assert 'id="qui-sait"' not in client.get(question.get_absolute_url()).content.decode()


def test_suggestions_come_from_sheets_resources_answers_expertise_and_partners(client):
    """Authors of sheets and resources on the theme, retained answerers, declared experts and partners covering the theme are proposed, each with a reason."""
    asker = ChefDeProjetFactory()
    question = _question(asker, visibilite=Visibilite.PARTENAIRES)
    sheet_author = ChefDeProjetFactory(last_name="Fichiste")
    _sheet(sheet_author, titre="Boutiques éphémères", visibilite=Visibilite.PARTENAIRES)
    resource_author = ChefDeProjetFactory(last_name="Documentaliste")
    RessourceFactory(auteur=resource_author, visibilite=Visibilite.PARTENAIRES).themes.set([_theme("commerce")])
    answerer = ChefDeProjetFactory(last_name="Repondant")
    other = _question(ChefDeProjetFactory(), titre="Autre question commerce ?")
    other.reponse_retenue = MessageFactory(question=other, auteur=answerer)
    other.save()
    expert = ChefDeProjetFactory(last_name="Experte")
    expert.themes_expertise.set([_theme("commerce")])
    cci = OrganisationFactory(nom="CCI test")
    cci.themes.set([_theme("commerce")])
    partner = PartenaireFactory(last_name="Consulaire", organisation=cci)
    client.force_login(asker)
    card = _card(client.get(question.get_absolute_url()).content.decode())
    assert "Fichiste" in card
    assert "a écrit la fiche « Boutiques éphémères »" in card
    assert "Documentaliste" in card
    assert "a partagé 1 ressource sur ces thèmes" in card
    assert "Repondant" in card
    assert "1 réponse retenue sur ces thèmes" in card
    assert "Experte" in card
    assert "expertise déclarée" in card
    assert str(partner) in card
    assert "son organisation couvre" in card


def test_a_resource_author_is_credited_with_all_their_published_resources_on_the_themes(client, monkeypatch):
    """« a partagé N ressources » counts every published resource of the author on the question's
    themes, older ones included, even when only the authors of the latest ones are read — never a
    draft nor a resource on another theme; an author with only older resources is not credited."""
    from datetime import timedelta

    from django.utils import timezone

    import ressources.selectors

    monkeypatch.setattr(ressources.selectors, "AUTHOR_CANDIDATES", 1)
    asker = ChefDeProjetFactory()
    question = _question(asker)
    author = ChefDeProjetFactory(last_name="Documentaliste")
    older = ChefDeProjetFactory(last_name="Ancienne")
    long_ago = timezone.now() - timedelta(days=400)
    RessourceFactory(auteur=author, publie_le=long_ago).themes.set([_theme("commerce")])
    RessourceFactory(auteur=older, publie_le=long_ago).themes.set([_theme("commerce")])
    RessourceFactory(auteur=author, statut="brouillon").themes.set([_theme("commerce")])
    RessourceFactory(auteur=author).themes.set([_theme("habitat")])
    RessourceFactory(auteur=author).themes.set([_theme("commerce")])
    client.force_login(asker)
    card = _card(client.get(question.get_absolute_url()).content.decode())
    assert "Documentaliste" in card
    assert "a partagé 2 ressources sur ces thèmes" in card
    assert "Ancienne" not in card


def test_the_sheets_weighed_are_the_latest_on_the_themes_or_the_difficulty(client, monkeypatch):
    """The experience sheets ranked are the latest that share a theme or the question's difficulty
    (a bounded read at national scale): a sheet of the same difficulty on another theme counts, an
    older sheet beyond the latest does not, nor does a draft."""
    from datetime import timedelta

    from django.utils import timezone

    import ressources.selectors

    monkeypatch.setattr(ressources.selectors, "SHEET_CANDIDATES", 2)
    asker = ChefDeProjetFactory()
    question = _question(asker, titre="Que faire de nos cellules commerciales vides ?")
    _sheet(
        ChefDeProjetFactory(last_name="Ancienne"), titre="Vieille fiche", publie_le=timezone.now() - timedelta(days=400)
    )
    _sheet(ChefDeProjetFactory(last_name="Brouillonne"), titre="Fiche en cours", statut="brouillon")
    _sheet(ChefDeProjetFactory(last_name="Recente"), titre="Boutiques éphémères")
    _sheet(
        ChefDeProjetFactory(last_name="Voisine"),
        themes=("habitat",),
        titre="Vitrines du centre",
        type_difficulte=RetourExperience.Difficulte.VACANCE_COMMERCIALE,
    )
    client.force_login(asker)
    card = _card(client.get(question.get_absolute_url()).content.decode())
    assert "a écrit la fiche « Boutiques éphémères »" in card
    assert "a écrit la fiche « Vitrines du centre » (même difficulté : vacance commerciale)" in card
    assert "Ancienne" not in card
    assert "Brouillonne" not in card


def test_at_most_five_members_best_first(client):
    """No more than five members are proposed, the strongest evidence first."""
    asker = ChefDeProjetFactory()
    question = _question(asker, titre="Vacance commerciale : par où commencer ?")
    best = ChefDeProjetFactory(last_name="Premiere")
    _sheet(best, type_difficulte=RetourExperience.Difficulte.VACANCE_COMMERCIALE)
    for n in range(8):
        _sheet(ChefDeProjetFactory(last_name=f"Autre{n}"))
    client.force_login(asker)
    card = _card(client.get(question.get_absolute_url()).content.decode())
    assert card.count('name="membre"') == 5
    assert "Premiere" in card.split('class="suggestion"', 2)[1]


def test_members_who_may_not_see_the_question_are_never_proposed(client):
    """A partner expert is not proposed for a question kept for the network; nor is a deactivated account."""
    asker = ChefDeProjetFactory()
    question = _question(asker, visibilite=Visibilite.RESEAU)
    partner = PartenaireFactory(last_name="Horsreseau")
    partner.themes_expertise.set([_theme("commerce")])
    gone = ChefDeProjetFactory(last_name="Parti", is_active=False)
    _sheet(gone)
    client.force_login(asker)
    card = _card(client.get(question.get_absolute_url()).content.decode())
    assert "Horsreseau" not in card
    assert "Parti" not in card


def test_reasons_never_name_what_the_asker_may_not_open(client):
    """A staff-only sheet neither gives its title to the asker nor makes its author a suggestion."""
    asker = ChefDeProjetFactory()
    question = _question(asker)
    _sheet(ChefDeProjetFactory(last_name="Secret"), titre="Fiche interne à l'équipe", visibilite=Visibilite.EQUIPE)
    client.force_login(asker)
    card = _card(client.get(question.get_absolute_url()).content.decode())
    assert "Fiche interne" not in card
    assert "Secret" not in card


def test_members_who_already_answered_are_not_proposed(client):
    """Who already answered the question is not proposed again."""
    asker = ChefDeProjetFactory()
    question = _question(asker)
    answerer = ChefDeProjetFactory(last_name="Dejarepondu")
    _sheet(answerer)
    MessageFactory(question=question, auteur=answerer)
    client.force_login(asker)
    assert "Dejarepondu" not in _card(client.get(question.get_absolute_url()).content.decode())


def test_soliciting_tells_the_member_once(client):
    """« Solliciter » records a notification for the member; a second click tells nobody again."""
    asker = ChefDeProjetFactory()
    question = _question(asker)
    expert = ChefDeProjetFactory(last_name="Sollicitee")
    _sheet(expert)
    client.force_login(asker)
    url = reverse("ressources:question-solicit", args=[question.slug])
    response = client.post(url, {"membre": expert.pk}, follow=True)
    assert "ce membre est prévenu" in response.content.decode()
    assert Notification.objects.filter(destinataire=expert, type="sollicitation").count() == 1
    card = _card(client.get(question.get_absolute_url()).content.decode())
    assert "Sollicité·e le" in card
    response = client.post(url, {"membre": expert.pk}, follow=True)
    assert "déjà sollicité" in response.content.decode()
    assert Notification.objects.filter(destinataire=expert, type="sollicitation").count() == 1
    assert Sollicitation.objects.filter(question=question, membre=expert).count() == 1


def test_staff_solicit_too(client):
    """Staff may solicit a member for any question; the member is told."""
    question = _question(ChefDeProjetFactory())
    expert = ChefDeProjetFactory()
    client.force_login(EquipeFactory())
    client.post(reverse("ressources:question-solicit", args=[question.slug]), {"membre": expert.pk})
    assert Notification.objects.filter(destinataire=expert, type="sollicitation").exists()


@pytest.mark.parametrize("factory", [ChefDeProjetFactory, PartenaireFactory])
def test_only_the_asker_and_staff_may_solicit(client, factory):
    """Another member's « solliciter » is a 404 and tells nobody."""
    question = _question(ChefDeProjetFactory(), visibilite=Visibilite.PARTENAIRES)
    expert = ChefDeProjetFactory()
    client.force_login(factory())
    response = client.post(reverse("ressources:question-solicit", args=[question.slug]), {"membre": expert.pk})
    assert response.status_code == 404
    assert not Notification.objects.filter(destinataire=expert).exists()


def test_nobody_who_may_not_see_the_question_nor_the_asker_is_solicited(client):
    """Soliciting a partner for a network question, the asker themself or a member outside the directory is refused."""
    asker = ChefDeProjetFactory()
    question = _question(asker, visibilite=Visibilite.RESEAU)
    url = reverse("ressources:question-solicit", args=[question.slug])
    client.force_login(asker)
    for membre in (PartenaireFactory(), asker, ChefDeProjetFactory(consentement_annuaire=False)):
        response = client.post(url, {"membre": membre.pk}, follow=True)
        assert "ne peut pas être sollicité" in response.content.decode()
    assert not Notification.objects.filter(type="sollicitation").exists()
    assert not Sollicitation.objects.exists()


def test_the_suggestions_run_the_same_queries_for_few_and_many_members(client):
    """The question page keeps a constant number of queries whatever the evidence behind the suggestions."""
    asker = ChefDeProjetFactory()
    question = _question(asker)
    client.force_login(asker)

    def add(n):
        for _ in range(n):
            author = ChefDeProjetFactory()
            author.themes_expertise.set([_theme("commerce")])
            _sheet(author)
            RessourceFactory(auteur=author).themes.set([_theme("commerce")])
            partner = PartenaireFactory()
            partner.organisation.themes.set([_theme("commerce")])

    add(1)
    client.get(question.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(question.get_absolute_url())
    add(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get(question.get_absolute_url()).content.decode()
    assert _card(page).count('name="membre"') == 5
    assert len(many) == len(few)
