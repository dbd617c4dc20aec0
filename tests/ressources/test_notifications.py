"""The exchange loop's events, per role: who is told, who is not (the actor, a member who may
not see the content), by which kind and which e-mail."""

import pytest
from django.urls import reverse

from reseau_acv.core.models import Courriel, Notification, Suivi, Theme
from reseau_acv.core.notifications import follow_automatically, unfollow
from reseau_acv.core.visibility import Visibilite
from ressources import services
from ressources.models import Question, Statut
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.ressources import MessageFactory, QuestionFactory, RessourceFactory, RetourExperienceFactory
from tests.factories.villes import VilleFactory

pytestmark = pytest.mark.django_db


def told() -> dict[int, str]:
    """Who was told, and with which kind."""
    return dict(Notification.objects.values_list("destinataire_id", "type"))


def emailed() -> set[str]:
    return set(Courriel.objects.values_list("destinataire", flat=True))


def ask(auteur=None, **kwargs) -> Question:
    return services.question_create(
        actor=auteur or ChefDeProjetFactory(), data={"titre": "Comment mobiliser les propriétaires ?", **kwargs}
    )


def test_an_answer_tells_the_asker_at_once_and_the_followers_in_their_digest():
    """The asker (« réponse », e-mail now) and a follower (« suivi », digest) are told; the answerer is not."""
    question = ask()
    follower, answerer = ChefDeProjetFactory(), ChefDeProjetFactory(first_name="Marie", last_name="Durand")
    follow_automatically(users=[follower], target=question)
    message = services.message_create(actor=answerer, fil=question, corps="Une aide de l'Anah existe.")
    assert told() == {question.auteur_id: "reponse", follower.pk: "suivi"}
    assert emailed() == {question.auteur.email}
    notification = Notification.objects.get(destinataire=question.auteur)
    assert notification.texte == "Marie Durand a répondu à votre question"
    assert notification.url == f"{question.get_absolute_url()}#message-{message.pk}"
    assert notification.extrait == "Une aide de l'Anah existe."
    assert Suivi.objects.filter(membre=answerer).exists()  # whoever answers follows the thread


def test_a_partner_who_follows_a_network_question_is_not_told():
    """A follower who may not see the thread (a partner, for a network-level question) hears nothing."""
    question = ask(visibilite=Visibilite.RESEAU)
    partenaire = PartenaireFactory()
    follow_automatically(users=[partenaire], target=question)
    services.message_create(actor=ChefDeProjetFactory(), fil=question, corps="Réponse.")
    assert partenaire.pk not in told()


def test_a_reply_in_a_thread_i_answered_tells_me_and_my_own_answer_does_not():
    """The first answerer follows the thread: a second answer tells them; their own answer told them nothing."""
    question = ask()
    first, second = ChefDeProjetFactory(), EquipeFactory()
    services.message_create(actor=first, fil=question, corps="Première réponse.")
    assert first.pk not in told()
    services.message_create(actor=second, fil=question, corps="Deuxième réponse.")
    assert Notification.objects.filter(destinataire=first, type="suivi").count() == 1


def test_an_asker_who_stopped_following_is_not_told():
    """« Ne plus suivre » on one's own question stops the answers' notifications."""
    question = ask()
    unfollow(actor=question.auteur, target=question)
    services.message_create(actor=ChefDeProjetFactory(), fil=question, corps="Réponse.")
    assert question.auteur_id not in told()


@pytest.mark.parametrize("factory", [RessourceFactory, RetourExperienceFactory])
def test_a_comment_tells_the_author_of_the_resource_or_sheet(factory):
    """A comment on my resource or experience sheet reaches me at once (« commentaire »)."""
    contenu = factory()
    follow_automatically(users=[contenu.auteur], target=contenu)
    services.message_create(actor=ChefDeProjetFactory(), fil=contenu, corps="Merci pour ce partage.")
    assert told() == {contenu.auteur_id: "commentaire"}
    assert emailed() == {contenu.auteur.email}


def test_an_accepted_answer_tells_its_author_but_not_when_accepting_ones_own():
    """The answerer hears that their answer helped; the asker accepting their own answer hears nothing."""
    question = QuestionFactory()
    answer = MessageFactory(question=question)
    services.question_accept_answer(actor=question.auteur, question=question, message=answer)
    assert told() == {answer.auteur_id: "reponse_retenue"}
    own = MessageFactory(question=question, auteur=question.auteur)
    services.question_accept_answer(actor=question.auteur, question=question, message=own)
    assert Notification.objects.count() == 1


def test_a_mention_tells_the_member_who_may_see_and_links_to_their_page(client):
    """« @Prénom Nom »: told (« mention ») and linked; a partner who may not see is linked but not told;
    an unknown name stays plain text."""
    question = ask(visibilite=Visibilite.RESEAU)
    chef = ChefDeProjetFactory(first_name="Hélène", last_name="Martin")
    partenaire = PartenaireFactory(first_name="Paul", last_name="Bernard")
    corps = "Voyez @Hélène Martin et @Paul Bernard, ou encore @Personne Inconnue."
    message = services.message_create(actor=ChefDeProjetFactory(), fil=question, corps=corps)
    assert told()[chef.pk] == "mention"
    assert partenaire.pk not in told()
    assert set(message.mentions.all()) == {chef, partenaire}
    client.force_login(chef)
    page = client.get(question.get_absolute_url()).content.decode()
    assert f'href="{reverse("accueil:membre", kwargs={"pk": chef.pk})}"' in page
    assert "@Personne Inconnue" in page
    assert "Personne Inconnue</a>" not in page


def test_a_mention_typed_without_accents_names_the_member(client):
    """« @Helene Marchand » (no accent typed) names Hélène Marchand: she is told and linked, her name kept as typed."""
    question = ask(visibilite=Visibilite.RESEAU)
    chef = ChefDeProjetFactory(first_name="Hélène", last_name="Marchand")
    message = services.message_create(actor=ChefDeProjetFactory(), fil=question, corps="Voyez @Helene Marchand.")
    assert told()[chef.pk] == "mention"
    assert list(message.mentions.all()) == [chef]
    client.force_login(chef)
    page = client.get(question.get_absolute_url()).content.decode()
    assert f'href="{reverse("accueil:membre", kwargs={"pk": chef.pk})}"' in page
    assert "@Helene Marchand</a>" in page


def test_publishing_and_sending_back_tell_the_author_with_the_reason():
    """The moderation outcome is a notification and the e-mail of old (« moderation », at once)."""
    ressource = RessourceFactory(statut=Statut.PROPOSE)
    staff = EquipeFactory()
    services.contenu_send_back(actor=staff, obj=ressource, motif="Le document est illisible.")
    notification = Notification.objects.get()
    assert (notification.destinataire_id, notification.type) == (ressource.auteur_id, "moderation")
    assert "Le document est illisible." in notification.texte
    assert Courriel.objects.filter(objet_envoi="ressources.renvoi", destinataire=ressource.auteur.email).exists()
    services.contenu_publish(actor=staff, obj=ressource)
    assert Notification.objects.filter(destinataire=ressource.auteur, texte__contains="est publiée").exists()
    assert Courriel.objects.filter(objet_envoi="ressources.publication").count() == 1


def test_a_new_question_on_a_followed_theme_or_town_tells_who_may_see_it():
    """Followers of a theme or a town hear of a new question (digest by default); the asker and a
    partner who may not see it do not."""
    ville = VilleFactory()
    habitat = Theme.objects.get(slug="habitat")
    by_theme, by_town, partenaire, asker = (
        ChefDeProjetFactory(),
        ChefDeProjetFactory(),
        PartenaireFactory(),
        ChefDeProjetFactory(),
    )
    follow_automatically(users=[by_theme, partenaire, asker], target=habitat)
    follow_automatically(users=[by_town], target=ville)
    question = services.question_create(
        actor=asker, data={"titre": "OPAH-RU ?", "visibilite": Visibilite.RESEAU}, themes=[habitat], villes=[ville]
    )
    assert told() == {by_theme.pk: "nouvelle_question", by_town.pk: "nouvelle_question"}
    assert emailed() == set()  # in their digest
    assert Notification.objects.filter(url=question.get_absolute_url()).count() == 2


def test_the_answer_page_follows_and_unfollows(client):
    """The question page has a « Suivre » button that posts to /suivre/ and comes back."""
    question = QuestionFactory()
    chef = ChefDeProjetFactory()
    client.force_login(chef)
    page = client.get(question.get_absolute_url()).content.decode()
    assert f'value="ressources.question:{question.pk}"' in page
    client.post(
        "/suivre/", {"objet": f"ressources.question:{question.pk}", "next": question.get_absolute_url()}, follow=True
    )
    page = client.get(question.get_absolute_url()).content.decode()
    assert "ne plus suivre" in page


def test_mention_suggestions_offer_members_in_the_directory_who_may_see_the_thread(client):
    """« @Ma… » suggests members of the directory who may see the thread: not a partner for a
    network question, not a member out of the directory; a thread one may not see answers 404."""
    # The asker is named too: a random name (« Martine … ») would also answer « Mar ».
    question = QuestionFactory(
        visibilite=Visibilite.RESEAU, auteur=ChefDeProjetFactory(first_name="Paul", last_name="Leroy")
    )
    ChefDeProjetFactory(first_name="Marie", last_name="Durand")
    PartenaireFactory(first_name="Martin", last_name="Roux")
    ChefDeProjetFactory(first_name="Marc", last_name="Petit", consentement_annuaire=False)
    client.force_login(ChefDeProjetFactory(first_name="Jean", last_name="Dupuis"))
    url = reverse("ressources:mention-suggestions", kwargs={"kind": "question", "slug": question.slug})
    assert [m["nom"] for m in client.get(url, {"q": "Mar"}).json()["membres"]] == ["Marie Durand"]
    assert client.get(url, {"q": "M"}).json()["membres"] == []
    ChefDeProjetFactory(first_name="Hélène", last_name="Marchand")
    assert [m["nom"] for m in client.get(url, {"q": "Hel"}).json()["membres"]] == ["Hélène Marchand"]  # accents folded
    client.force_login(PartenaireFactory())
    assert client.get(url, {"q": "Mar"}).status_code == 404
    page_form = client.get(QuestionFactory(visibilite=Visibilite.PARTENAIRES).get_absolute_url()).content.decode()
    assert "data-mentions-url" in page_form
    assert "js/mentions.js" in page_form


def test_opening_the_thread_from_the_email_reads_its_notifications_only(client):
    """The e-mail's link goes to the answer: the thread's notifications are read, others stay unread."""
    question, other = ask(), QuestionFactory()
    follow_automatically(users=[question.auteur], target=other)
    services.message_create(actor=ChefDeProjetFactory(), fil=question, corps="Réponse.")
    services.message_create(actor=ChefDeProjetFactory(), fil=other, corps="Ailleurs.")
    asker = question.auteur
    asker.refresh_from_db()
    assert asker.notifications_non_lues == 2
    client.force_login(asker)
    page = client.get(question.get_absolute_url()).content.decode()
    asker.refresh_from_db()
    assert asker.notifications_non_lues == 1
    assert 'class="bell-count">1' in page
    assert Notification.objects.get(destinataire=asker, fil_id=other.pk).lue_le is None
