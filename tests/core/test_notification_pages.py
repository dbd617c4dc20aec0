"""Pages of notifications: the bell, /notifications/, opening one, choices, follows."""

import pytest

from reseau_acv.core.models import ChoixNotification, Notification, Suivi
from reseau_acv.core.notifications import follow_automatically, notify
from reseau_acv.core.visibility import Visibilite
from ressources.models import Question
from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory
from tests.factories.ressources import QuestionFactory

pytestmark = pytest.mark.django_db


def _tell(member, question, event="e1", text="Marie a répondu à votre question"):
    notify(
        kind="reponse",
        event=event,
        actor=None,
        recipients=[member],
        text=text,
        target=question,
        visible_to=Question.objects.visible_to,
        url=f"{question.get_absolute_url()}#message-7",
    )


def test_the_bell_shows_the_unread_count_and_the_page_lists_by_thread(client):
    """The header counts unread notifications; /notifications/ groups them under the thread's title."""
    chef = ChefDeProjetFactory()
    question = QuestionFactory(titre="Comment financer une OPAH-RU ?")
    _tell(chef, question, "e1")
    _tell(chef, question, "e2", text="Paul a répondu à votre question")
    client.force_login(chef)
    page = client.get("/notifications/").content.decode()
    assert 'class="bell-count">2' in page
    assert page.count("Comment financer une OPAH-RU ?") >= 1
    assert "Marie a répondu" in page
    assert "Paul a répondu" in page
    assert page.index("Paul a répondu") < page.index("Marie a répondu")  # newest first


def test_opening_a_notification_reads_it_and_lands_on_the_answer(client):
    """The link marks it read and redirects to the answer's anchor; another member's answers 404."""
    chef = ChefDeProjetFactory()
    question = QuestionFactory()
    _tell(chef, question)
    notification = Notification.objects.get()
    client.force_login(ChefDeProjetFactory())
    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    client.force_login(chef)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#message-7"
    notification.refresh_from_db()
    assert notification.lue_le is not None
    chef.refresh_from_db()
    assert chef.notifications_non_lues == 0


def test_mark_all_read(client):
    """« Tout marquer comme lu » reads every notification and empties the bell."""
    chef = ChefDeProjetFactory()
    question = QuestionFactory()
    _tell(chef, question, "a")
    _tell(chef, question, "b")
    client.force_login(chef)
    response = client.post("/notifications/tout-lu/", follow=True)
    assert "2 notifications sont marquées comme lues" in response.content.decode()
    assert not Notification.objects.filter(lue_le__isnull=True).exists()


def test_the_choices_page_saves_one_choice_per_kind(client):
    """Every kind shows its three choices, defaults checked; saving records the member's choices."""
    chef = ChefDeProjetFactory()
    client.force_login(chef)
    page = client.get("/mon-compte/notifications/").content.decode()
    assert "Une réponse à ma question" in page
    assert "Dans mon récapitulatif" in page
    assert "obligatoire" not in page  # every group already has its choice
    from reseau_acv.core.selectors import choices_of

    data = {**choices_of(user=chef), "suivi": "immediat", "mention": "jamais"}
    assert client.post("/mon-compte/notifications/", data).status_code == 302
    assert dict(ChoixNotification.objects.filter(membre=chef).values_list("type", "envoi"))["mention"] == "jamais"
    assert choices_of(user=chef)["suivi"] == "immediat"


def test_follow_from_a_page_and_stop_from_the_follows_page(client):
    """Follow by POST; the follows page lists it with its link; « Ne plus suivre » removes it."""
    chef = ChefDeProjetFactory()
    question = QuestionFactory(titre="Vacance commerciale : quels leviers ?")
    client.force_login(chef)
    response = client.post("/suivre/", {"objet": f"ressources.question:{question.pk}", "action": "suivre"})
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    page = client.get("/mon-compte/suivis/").content.decode()
    assert "Vacance commerciale : quels leviers ?" in page
    suivi = Suivi.objects.get(membre=chef)
    client.post("/mon-compte/suivis/", {"suivi": suivi.pk})
    assert not Suivi.objects.filter(membre=chef).exists()


def test_following_what_you_may_not_see_answers_404(client):
    """A partner cannot follow a network-level question; an unknown kind or id is 404 too."""
    question = QuestionFactory(visibilite=Visibilite.RESEAU)
    client.force_login(PartenaireFactory())
    assert client.post("/suivre/", {"objet": f"ressources.question:{question.pk}"}).status_code == 404
    assert client.post("/suivre/", {"objet": f"comptes.user:{question.auteur_id}"}).status_code == 404
    assert client.post("/suivre/", {"objet": "ressources.question:99999999999999999999"}).status_code == 404
    assert not Suivi.objects.exists()


def test_the_follows_page_hides_what_the_member_no_longer_sees(client):
    """A followed question later hidden shows as « plus accessible », without its title."""
    chef = ChefDeProjetFactory()
    question = QuestionFactory(titre="Question bientôt masquée")
    follow_automatically(users=[chef], target=question)
    Question.objects.filter(pk=question.pk).update(statut="masque")
    client.force_login(chef)
    page = client.get("/mon-compte/suivis/").content.decode()
    assert "Question bientôt masquée" not in page
    assert "plus accessible" in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    """The notification pages are for members."""
    for url in ("/notifications/", "/mon-compte/notifications/", "/mon-compte/suivis/"):
        assert client.get(url).status_code == 302


def test_a_followed_theme_leads_to_its_questions(client):
    """On « Ce que je suis », a followed theme is a link to the network's questions on that theme."""
    from django.utils.html import escape

    from reseau_acv.core.models import Theme

    chef = ChefDeProjetFactory()
    theme = Theme.objects.order_by("ordre").first()
    follow_automatically(users=[chef], target=theme)
    client.force_login(chef)
    page = client.get("/mon-compte/suivis/").content.decode()
    assert f'<a href="/ressources/questions/?theme={theme.slug}">{escape(theme)}</a>' in page
