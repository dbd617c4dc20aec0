"""The digest's content per role and preference, and its one-click unsubscribe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from reseau_acv.accueil import services
from reseau_acv.accueil.digest import period_for
from reseau_acv.accueil.models import EnvoiDigest, Frequence, Preferences
from reseau_acv.core.models import Courriel, Theme
from reseau_acv.core.notifications import follows_set
from reseau_acv.core.outbox import outbox_flush
from reseau_acv.core.visibility import Visibilite
from ressources.models import Statut
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.villes import MissionFactory

from .conftest import IN_WEEK, NOW, YESTERDAY, make_question, make_ressource, make_retour

pytestmark = pytest.mark.django_db


def _digest_of(user) -> Courriel | None:
    return Courriel.objects.filter(objet_envoi=services.DIGEST_PURPOSE, destinataire=user.email).first()


def test_weekly_period_is_last_monday_to_monday_in_paris():
    """The weekly digest covers last week, Monday to Monday, Paris time, whatever day it runs."""
    period = period_for(Frequence.HEBDOMADAIRE, NOW)
    assert period.key == "S2026-W47"
    assert (period.start.day, period.end.day, period.end.hour) == (16, 23, 0)
    assert period_for(Frequence.QUOTIDIENNE, NOW).key == "J2026-11-24"


def test_partner_digest_holds_no_reseau_item():
    """A partner's digest lists what partners may see and nothing kept for the network."""
    partenaire, chef = PartenaireFactory(), ChefDeProjetFactory()
    make_ressource("Guide ouvert aux partenaires", visibilite=Visibilite.PARTENAIRES)
    make_ressource("Note interne du réseau", visibilite=Visibilite.RESEAU)
    make_ressource("Brouillon de l'équipe", visibilite=Visibilite.EQUIPE)

    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    partner_mail, chef_mail = _digest_of(partenaire), _digest_of(chef)
    assert "Guide ouvert aux partenaires" in partner_mail.texte
    assert "Note interne du réseau" not in partner_mail.texte + partner_mail.html
    assert "Guide ouvert aux partenaires" in chef_mail.texte
    assert "Note interne du réseau" in chef_mail.html
    assert "Brouillon de l'équipe" not in chef_mail.texte


def test_digest_holds_only_published_items_of_the_period():
    """Drafts, even one's own, and items outside the period stay out of the digest."""
    chef = ChefDeProjetFactory()
    make_ressource("Publiée cette semaine")
    make_ressource("Mon brouillon", statut=Statut.BROUILLON, auteur=chef)
    make_ressource("Publiée il y a un mois", publie_le=NOW.replace(month=10))

    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    text = _digest_of(chef).texte
    assert "Publiée cette semaine" in text
    assert "Mon brouillon" not in text
    assert "il y a un mois" not in text


def test_empty_period_sends_nothing():
    """With nothing new, no e-mail leaves, and the period is still marked done."""
    chef = ChefDeProjetFactory()
    make_ressource("Publiée il y a un mois", publie_le=NOW.replace(month=10))

    result = services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    assert result.sent == 0
    assert _digest_of(chef) is None
    assert EnvoiDigest.objects.get(user=chef).nb_elements == 0


def test_sections_and_themes_follow_the_preferences(themes):
    """A member gets only the sections they chose, and questions on their themes."""
    chef = ChefDeProjetFactory()
    Preferences.objects.create(user=chef, section_ressources=False)
    follows_set(actor=chef, model=Theme, chosen=[themes["habitat"]])
    make_ressource("Une ressource")
    make_question("Question sur l'habitat", themes=[themes["habitat"]])
    make_question("Question sur la mobilité", themes=[themes["mobilite"]])

    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    text = _digest_of(chef).texte
    assert "Question sur l'habitat" in text
    assert "mobilité" not in text
    assert "Une ressource" not in text


def test_daily_digest_goes_to_daily_members_only():
    """The daily run writes to members who chose daily; the weekly run to the others."""
    daily, weekly, never = ChefDeProjetFactory(), ChefDeProjetFactory(), ChefDeProjetFactory()
    Preferences.objects.create(user=daily, frequence=Frequence.QUOTIDIENNE)
    Preferences.objects.create(user=never, frequence=Frequence.AUCUNE)
    make_ressource("D'hier", publie_le=YESTERDAY)
    make_ressource("De la semaine dernière", publie_le=IN_WEEK)

    services.digest_run(frequence=Frequence.QUOTIDIENNE, now=NOW)
    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    assert "D'hier" in _digest_of(daily).texte
    assert "semaine dernière" not in _digest_of(daily).texte
    assert "De la semaine dernière" in _digest_of(weekly).texte
    assert _digest_of(never) is None


def test_experience_sheets_reach_their_themes_readers(themes):
    """A new experience sheet appears in the resources section with its town."""
    mission = MissionFactory()
    make_retour("Relancer le commerce après le confinement", ville=mission.ville)

    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    assert f"Retour d'expérience — {mission.ville.nom}" in _digest_of(mission.personne).texte


def test_digest_is_french_html_and_text_with_links():
    """The digest comes in French, as HTML and text, each item linked to its page."""
    chef = ChefDeProjetFactory(first_name="Léa")
    ressource = make_ressource("Cahier des charges de l'OPAH-RU")

    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    message = _digest_of(chef)
    assert message.sujet == "Réseau ACV, votre semaine : 1 nouveauté"
    assert "Bonjour Léa," in message.texte
    assert f"http://testserver/ressources/{ressource.slug}/" in message.texte
    assert f'href="http://testserver/ressources/{ressource.slug}/"' in message.html
    assert "Nouvelles ressources et fiches d&#x27;expérience" in message.html


def test_unsubscribe_headers_are_present_on_the_sent_message():
    """The sent digest carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058)."""
    chef = ChefDeProjetFactory()
    make_ressource()
    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    outbox_flush()

    [sent] = mail.outbox
    link = services.unsubscribe_url(chef)
    assert sent.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in sent.body


def test_unsubscribe_link_works_without_a_session(client):
    """The link from the digest unsubscribes without signing in, after one click."""
    chef = ChefDeProjetFactory()
    url = services.unsubscribe_url(chef).removeprefix("http://testserver")

    page = client.get(url)
    assert page.status_code == 200
    assert "Confirmer le désabonnement" in page.content.decode()
    assert not Preferences.objects.filter(user=chef, frequence=Frequence.AUCUNE).exists()

    done = client.post(url)
    assert done.status_code == 200
    assert Preferences.objects.get(user=chef).frequence == Frequence.AUCUNE
    make_ressource()
    assert services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW).sent == 0


def test_one_click_post_from_a_mail_client_unsubscribes(client):
    """A mail client's RFC 8058 POST, without cookie nor CSRF token, unsubscribes."""
    from django.test import Client

    chef = ChefDeProjetFactory()
    url = services.unsubscribe_url(chef).removeprefix("http://testserver")
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Preferences.objects.get(user=chef).frequence == Frequence.AUCUNE


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_unsubscribe_link_is_refused(client, method):
    """A link whose signature was altered answers 404 and changes nothing."""
    chef, other = ChefDeProjetFactory(), ChefDeProjetFactory()
    token = services.unsubscribe_token(chef)
    forged = token.replace(token.split(":")[0], services.unsubscribe_token(other).split(":")[0])
    for bad in (token[:-2] + "xx", forged, "n-importe-quoi"):
        response = getattr(client, method)(reverse("accueil:preferences-unsubscribe", kwargs={"token": bad}))
        assert response.status_code == 404
    assert not Preferences.objects.filter(frequence=Frequence.AUCUNE).exists()


def test_staff_daily_notice_lists_the_queues():
    """The team gets one message a day with what waits for moderation; nothing waiting, none."""
    EquipeFactory()
    assert services.staff_notify(now=NOW) is False
    make_ressource("À modérer", statut=Statut.PROPOSE)

    assert services.staff_notify(now=NOW) is True
    assert services.staff_notify(now=NOW) is False  # the same day: already recorded

    message = Courriel.objects.get(objet_envoi=services.STAFF_PURPOSE)
    assert "Contributions en attente de modération : 1" in message.texte


@pytest.mark.django_db
def test_members_with_the_same_news_share_a_rendering_but_keep_their_name_and_link(monkeypatch):
    """Two members who get the same news: the templates run once, yet each digest greets its own
    member (HTML-escaped) and carries its own unsubscribe link."""
    from reseau_acv.accueil import services

    make_ressource("Guide de la vacance commerciale", publie_le=IN_WEEK)
    alice = ChefDeProjetFactory(first_name="Alice <b>", email="alice@exemple.fr")
    bruno = ChefDeProjetFactory(first_name="Bruno", email="bruno@exemple.fr")
    renders = []
    real_render = services.render_email
    monkeypatch.setattr(services, "render_email", lambda *a, **k: renders.append(a) or real_render(*a, **k))

    assert services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW).sent == 2
    outbox_flush()

    assert len(renders) == 1
    sent = {m.to[0]: m for m in mail.outbox}
    for member, other in ((alice, bruno), (bruno, alice)):
        message = sent[member.email]
        html = message.alternatives[0].content
        assert services.unsubscribe_url(member) in message.body
        assert services.unsubscribe_url(other) not in message.body
        assert services.unsubscribe_url(member) in html
        assert "Guide de la vacance commerciale" in message.body
    assert "Bonjour Alice <b>," in sent[alice.email].body
    assert "Bonjour Alice &lt;b&gt;," in sent[alice.email].alternatives[0].content
    assert "NOM7e1f0c4d2b" not in sent[bruno.email].alternatives[0].content


def _notify_follower(member, question, event: str, when):
    from reseau_acv.core.notifications import notify
    from ressources.models import Question

    notify(
        kind="suivi",
        event=event,
        actor=None,
        recipients=[member],
        text="Marie Durand a répondu à une question que vous suivez",
        target=question,
        visible_to=Question.objects.visible_to,
        url=question.get_absolute_url() + "#message-1",
        now=when,
    )


def test_the_digest_carries_the_notifications_chosen_for_it_once():
    """« Dans mon récapitulatif »: the notification is in the next digest, linked to open it, and
    not in the one after; « jamais » keeps it out; nothing else new still sends the digest."""
    from reseau_acv.core.models import ChoixNotification, Notification

    chef, never = ChefDeProjetFactory(), ChefDeProjetFactory()
    ChoixNotification.objects.create(membre=never, type="suivi", envoi="jamais")
    question = make_question("Comment financer une OPAH-RU ?", publie_le=IN_WEEK - timedelta(days=30))
    _notify_follower(chef, question, "e1", IN_WEEK)
    _notify_follower(never, question, "e1", IN_WEEK)

    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)

    text = _digest_of(chef).texte
    assert "Vos notifications" in text
    assert "Marie Durand a répondu à une question que vous suivez" in text
    notification = Notification.objects.get(destinataire=chef)
    assert f"/notifications/{notification.pk}/" in text
    assert notification.resume_le is not None
    assert _digest_of(never) is None
    Courriel.objects.all().delete()
    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW + timedelta(days=7))
    assert _digest_of(chef) is None


def test_a_town_no_longer_followed_leaves_the_digest():
    """One store: stopping to follow a town on « Ce que je suis » stops its press in the digest."""
    from reseau_acv.core.notifications import unfollow
    from tests.factories.villes import VilleFactory

    from .conftest import make_article

    chef = ChefDeProjetFactory()
    gien = VilleFactory(nom="Gien")
    follows_set(actor=chef, model=type(gien), chosen=[gien])
    make_article("Gien rénove ses quais", villes=[gien])
    make_ressource("Guide de la vacance commerciale")
    unfollow(actor=chef, target=gien)
    services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=NOW)
    text = _digest_of(chef).texte
    assert "Guide de la vacance commerciale" in text
    assert "Gien" not in text
