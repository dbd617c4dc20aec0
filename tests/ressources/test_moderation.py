import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from reseau_acv.core.models import Courriel
from ressources import services
from ressources.models import ActeModeration, Ressource, RetourExperience, Statut
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.ressources import MessageFactory, RessourceFactory, RetourExperienceFactory

from .conftest import PDF


@pytest.fixture
def proposal(chef, upload):
    return services.ressource_create(
        actor=chef,
        data={"titre": "Cahier des charges OPAH-RU", "type": "cahier_des_charges", "visibilite": "reseau"},
        fichier=upload("ccp.pdf", PDF),
    )


@pytest.mark.django_db
def test_a_lead_proposal_waits_in_the_queue(client, proposal, equipe):
    """What a lead proposes is not published and appears in the staff queue, with the act recorded."""
    assert proposal.statut == Statut.PROPOSE
    assert proposal.publie_le is None
    client.force_login(equipe)
    page = client.get("/ressources/moderation/").content.decode()
    assert "Cahier des charges OPAH-RU" in page
    assert ActeModeration.objects.filter(action="proposer", cible_id=proposal.pk).exists()


@pytest.mark.django_db
def test_staff_publish_from_the_queue_and_the_author_is_told(
    client, proposal, equipe, chef, django_capture_on_commit_callbacks
):
    """Publishing from the queue makes it public to its level, records who did it and e-mails the author."""
    client.force_login(equipe)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ressources/moderation/ressource/{proposal.pk}/", {"action": "publier"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.statut == Statut.PUBLIE
    assert proposal.publie_le is not None
    acte = ActeModeration.objects.get(action="publier", cible_id=proposal.pk)
    assert acte.acteur == equipe
    assert acte.le is not None
    assert [m.to for m in mail.outbox] == [[chef.email]]
    assert "est publiée" in mail.outbox[0].subject
    queue = client.get("/ressources/moderation/").content.decode()
    assert "Cahier des charges OPAH-RU" not in queue.split('id="titre-file"')[1].split('id="titre-signalements"')[0]


@pytest.mark.django_db
def test_staff_send_back_with_a_reason_e_mailed_to_the_author(
    client, proposal, equipe, chef, django_capture_on_commit_callbacks
):
    """Sending back needs a reason; the author receives it by e-mail and sees it on the page."""
    client.force_login(equipe)
    client.post(f"/ressources/moderation/ressource/{proposal.pk}/", {"action": "renvoyer", "motif": ""})
    proposal.refresh_from_db()
    assert proposal.statut == Statut.PROPOSE  # no reason, no decision
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/ressources/moderation/ressource/{proposal.pk}/",
            {"action": "renvoyer", "motif": "Merci d'anonymiser les noms des propriétaires."},
        )
    proposal.refresh_from_db()
    assert proposal.statut == Statut.RENVOYE
    acte = ActeModeration.objects.get(action="renvoyer", cible_id=proposal.pk)
    assert (acte.acteur, acte.motif) == (equipe, "Merci d'anonymiser les noms des propriétaires.")
    assert len(mail.outbox) == 1
    assert "anonymiser les noms" in mail.outbox[0].body
    assert Courriel.objects.filter(objet_envoi="ressources.renvoi", destinataire=chef.email).count() == 1
    client.force_login(chef)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "anonymiser les noms" in page


@pytest.mark.django_db
def test_resubmitted_then_sent_back_again_sends_a_second_e_mail(proposal, equipe, chef):
    """A second send-back after the author resubmits is a new e-mail; repeating the same act is not."""
    services.contenu_send_back(actor=equipe, obj=proposal, motif="Premier motif")
    services.contenu_send_back(actor=equipe, obj=proposal, motif="Premier motif")
    proposal.refresh_from_db()
    services.ressource_update(actor=chef, ressource=proposal, data={"resume": "Corrigé"})
    assert proposal.statut == Statut.PROPOSE
    services.contenu_send_back(actor=equipe, obj=proposal, motif="Second motif")
    assert Courriel.objects.filter(objet_envoi="ressources.renvoi").count() == 2
    assert ActeModeration.objects.filter(action="renvoyer").count() == 2


@pytest.mark.django_db
def test_staff_publish_directly(equipe, upload):
    """Staff contributions are published at once, with the act recorded."""
    ressource = services.ressource_create(
        actor=equipe, data={"titre": "Guide plan de relance", "type": "guide"}, fichier=upload("g.pdf", PDF)
    )
    assert ressource.statut == Statut.PUBLIE
    assert ActeModeration.objects.filter(action="publier", cible_id=ressource.pk, acteur=equipe).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [ChefDeProjetFactory, PartenaireFactory])
def test_only_staff_moderate(factory, proposal):
    """Leads and partners cannot publish, send back or hide."""
    actor = factory()
    with pytest.raises(PermissionDenied):
        services.contenu_publish(actor=actor, obj=proposal)
    with pytest.raises(PermissionDenied):
        services.contenu_send_back(actor=actor, obj=proposal, motif="x")
    with pytest.raises(PermissionDenied):
        services.contenu_hide(actor=actor, obj=proposal, motif="x")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonyme", "partenaire", "chef_de_projet"])
def test_moderation_pages_look_like_not_found_to_others(client_for, role, proposal):
    """The queue and the moderation actions answer 404 (or sign-in) to everyone but staff."""
    client = client_for(role)
    queue = client.get("/ressources/moderation/")
    act = client.post(f"/ressources/moderation/ressource/{proposal.pk}/", {"action": "publier"})
    expected = 302 if role == "anonyme" else 404
    assert (queue.status_code, act.status_code) == (expected, expected)
    proposal.refresh_from_db()
    assert proposal.statut == Statut.PROPOSE


@pytest.mark.django_db
def test_partners_cannot_contribute(partenaire, client):
    """A partner has no proposal form: it answers 404."""
    client.force_login(partenaire)
    assert client.get("/ressources/proposer/").status_code == 404
    assert client.get("/ressources/retours/proposer/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.ressource_create(actor=partenaire, data={"titre": "x", "lien": "https://example.org"})


@pytest.mark.django_db
def test_hidden_content_leaves_lists_for_all_but_staff_and_author(client, equipe):
    """Hidden content disappears from the list of other members; staff and the author still see it."""
    author = ChefDeProjetFactory()
    ressource = RessourceFactory(titre="Étude de vacance commerciale", auteur=author, visibilite="partenaires")
    services.contenu_hide(actor=equipe, obj=ressource, motif="Données personnelles")
    assert ActeModeration.objects.filter(action="masquer", motif="Données personnelles").exists()
    for user, seen in [(ChefDeProjetFactory(), False), (PartenaireFactory(), False), (author, True), (equipe, True)]:
        client.force_login(user)
        assert ("Étude de vacance commerciale" in client.get("/ressources/").content.decode()) is seen


@pytest.mark.django_db
def test_a_lead_edits_own_contribution_only(client, chef):
    """A lead may edit their own resource; another lead's edit page is a 404; staff edit everything."""
    own = RessourceFactory(auteur=chef)
    other = RessourceFactory()
    client.force_login(chef)
    assert client.get(f"/ressources/{own.slug}/modifier/").status_code == 200
    assert client.get(f"/ressources/{other.slug}/modifier/").status_code == 404
    client.force_login(EquipeFactory())
    assert client.get(f"/ressources/{other.slug}/modifier/").status_code == 200


@pytest.mark.django_db
def test_experience_sheet_follows_the_same_workflow(chef, equipe):
    """A lead's experience sheet waits for staff, who can publish it."""
    ville = RetourExperienceFactory().ville
    retour = services.retour_create(
        actor=chef,
        data={
            "titre": "Relancer les commerces après le confinement",
            "ville": ville,
            "contexte": "c",
            "difficulte": "d",
            "type_difficulte": RetourExperience.Difficulte.CRISE_SANITAIRE,
            "leviers": "l",
            "type_levier": RetourExperience.Levier.NUMERIQUE,
            "resultat": "r",
        },
    )
    assert retour.statut == Statut.PROPOSE
    assert retour in RetourExperience.objects.awaiting_moderation()
    services.contenu_publish(actor=equipe, obj=retour)
    retour.refresh_from_db()
    assert retour.statut == Statut.PUBLIE


@pytest.mark.django_db
def test_report_and_hide_a_message(client, equipe):
    """A member reports a message, staff see it and hide it with a reason; others no longer see it."""
    message = MessageFactory(corps="Propos déplacé")
    reporter = ChefDeProjetFactory()
    client.force_login(reporter)
    client.post(f"/ressources/messages/{message.pk}/signaler/", {"motif": "Hors sujet"})
    client.force_login(equipe)
    assert "Hors sujet" in client.get("/ressources/moderation/").content.decode()
    with pytest.raises(ValidationError):
        services.message_hide(actor=equipe, message=message, motif=" ")
    client.post(f"/ressources/messages/{message.pk}/masquer/", {"motif": "Propos blessants"})
    message.refresh_from_db()
    assert message.masque
    assert message.motif_masquage == "Propos blessants"
    assert list(ActeModeration.objects.values_list("action", flat=True).order_by("le")) == ["signaler", "masquer"]
    client.force_login(reporter)
    assert "Propos déplacé" not in client.get(message.question.get_absolute_url()).content.decode()
    assert Ressource.objects.count() == 0


@pytest.mark.django_db
def test_a_lead_edit_of_published_content_goes_back_to_the_queue(chef, equipe, partenaire):
    """When a lead edits their published resource (here widening it to public), it waits for staff again."""
    ressource = RessourceFactory(auteur=chef, statut=Statut.PUBLIE, visibilite="reseau")
    services.ressource_update(
        actor=chef, ressource=ressource, data={"titre": ressource.titre, "visibilite": "public"}, submit=True
    )
    ressource.refresh_from_db()
    assert ressource.statut == Statut.PROPOSE
    assert not Ressource.objects.visible_to(partenaire).filter(pk=ressource.pk).exists()
    assert Ressource.objects.visible_to(chef).filter(pk=ressource.pk).exists()
    assert ActeModeration.objects.filter(action=ActeModeration.Action.PROPOSER).exists()
    services.ressource_update(actor=equipe, ressource=ressource, data={"titre": ressource.titre}, submit=True)
    ressource.refresh_from_db()
    assert ressource.statut == Statut.PUBLIE
