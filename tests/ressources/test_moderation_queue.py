import re

import pytest
from django.core import mail

from ressources import services
from ressources.forms import RAISONS_RENVOI
from ressources.models import ActeModeration, Ressource, Statut
from tests.factories.ressources import RessourceFactory, RetourExperienceFactory

from .conftest import PDF, docx_bytes

QUEUE = "/ressources/moderation/"


@pytest.fixture
def proposal(chef, upload):
    return services.ressource_create(
        actor=chef,
        data={
            "titre": "Cahier des charges OPAH-RU",
            "type": "cahier_des_charges",
            "visibilite": "reseau",
            "resume": "Le cahier des charges de l'étude pré-opérationnelle, validé en conseil communautaire.",
        },
        fichier=upload("Cahier des charges OPAH-RU.docx", docx_bytes()),
    )


def _queue(client) -> str:
    return client.get(QUEUE).content.decode().replace("&#x27;", "'")


@pytest.mark.django_db
def test_the_queue_shows_the_summary_and_the_file(client, equipe, proposal):
    """Each proposal shows its summary and its file's name, type and size, with a link that opens it."""
    client.force_login(equipe)
    page = _queue(client)
    assert "Le cahier des charges de l'étude pré-opérationnelle, validé en conseil communautaire." in page
    assert "Cahier des charges OPAH-RU.docx — Document Word (docx), " in page
    size = re.search(r"Document Word \(docx\), ([^—]+) —", page).group(1).strip()
    assert size.endswith("octets") or size.endswith("Ko")
    link = f'href="/ressources/{proposal.slug}/fichier/"'
    assert link in page
    response = client.get(f"/ressources/{proposal.slug}/fichier/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == proposal.fichier.open("rb").read()


@pytest.mark.django_db
def test_a_link_resource_shows_its_address(client, equipe):
    """A proposed link shows where it points, instead of a file."""
    RessourceFactory(titre="Guide Anah", lien="https://www.anah.gouv.fr/guide", statut=Statut.PROPOSE)
    client.force_login(equipe)
    assert 'href="https://www.anah.gouv.fr/guide"' in _queue(client)


@pytest.mark.django_db
def test_sending_back_takes_a_reason_from_the_list(client, equipe, chef, proposal, django_capture_on_commit_callbacks):
    """One choice and one click send it back; the author reads the reason and the sentence added."""
    client.force_login(equipe)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ressources/moderation/ressource/{proposal.pk}/",
            {"action": "renvoyer", "raison": "visibilite", "precision": "Les noms des propriétaires y figurent."},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.statut == Statut.RENVOYE
    assert proposal.motif_moderation == (
        "Visibilité à revoir : le document contient des informations à ne pas diffuser à ce niveau.\n\n"
        "Les noms des propriétaires y figurent."
    )
    (message,) = mail.outbox
    assert message.to == [chef.email]
    assert "Visibilité à revoir" in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [({"raison": "autre"}, "Précisez le motif pour l'auteur."), ({}, "Choisissez un motif de renvoi.")],
)
def test_another_reason_needs_a_sentence(client, equipe, proposal, data, error):
    """« Autre motif » without a sentence, or no reason at all, sends nothing back and says why."""
    client.force_login(equipe)
    response = client.post(
        f"/ressources/moderation/ressource/{proposal.pk}/", {"action": "renvoyer", **data}, follow=True
    )
    assert error in response.content.decode().replace("&#x27;", "'")
    proposal.refresh_from_db()
    assert proposal.statut == Statut.PROPOSE
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_queue_is_paginated_and_acting_returns_to_the_same_page(client, equipe):
    """Eleven proposals fill two pages; publishing from page 2 comes back to page 2."""
    for i in range(11):
        RessourceFactory(titre=f"Proposition {i:02d}", statut=Statut.PROPOSE)
    client.force_login(equipe)
    first = _queue(client)
    assert "Proposition 00" in first
    assert "Proposition 10" not in first
    assert "11 ressources attendent" in first
    second = client.get(QUEUE + "?page=2").content.decode()
    assert "Proposition 10" in second
    last = Ressource.objects.get(titre="Proposition 10")
    response = client.post(f"/ressources/moderation/ressource/{last.pk}/", {"action": "publier", "page": "2"})
    assert response["Location"] == QUEUE + "?page=2"
    assert ActeModeration.objects.filter(action="publier", cible_id=last.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 8])
def test_the_queue_runs_the_same_queries_for_1_and_8_proposals(
    client, equipe, django_assert_num_queries, n, upload, chef
):
    """Showing proposals with their files, towns, themes and authors costs the same whatever their number."""
    for i in range(n):
        services.ressource_create(
            actor=chef,
            data={"titre": f"Étude {i}", "type": "etude", "visibilite": "reseau"},
            fichier=upload(f"e{i}.pdf", PDF),
        )
        RetourExperienceFactory(statut=Statut.PROPOSE)
    client.force_login(equipe)
    # session, user; resources: count, page, towns, themes; sheets: count, page, themes; reports; journal
    with django_assert_num_queries(11):
        page = client.get(QUEUE).content.decode()
    assert page.count("Ouvrir le fichier") == n


@pytest.mark.django_db
def test_the_resource_page_sends_back_with_the_same_reasons_as_the_queue(client, equipe, proposal):
    """The resource's own page offers the queue's list of reasons and free text, and sending back works from it."""
    client.force_login(equipe)

    def reasons(page: str) -> list[str]:
        return re.findall(r'name="raison" value="([a-z_]+)"', page)

    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert reasons(detail) == reasons(_queue(client)) == [value for value, _label in RAISONS_RENVOI]
    assert 'name="precision"' in detail
    response = client.post(
        f"/ressources/moderation/ressource/{proposal.pk}/",
        {"action": "renvoyer", "next": "detail", "raison": "doublon"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.statut == Statut.RENVOYE
    assert proposal.motif_moderation.startswith("Doublon")
