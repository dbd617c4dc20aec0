import pytest

from reseau_acv.core.visibility import ORDER, levels_for
from ressources import services
from ressources.models import Ressource, Statut
from tests.conftest import ROLES
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory

from .conftest import PDF


@pytest.fixture
def one_per_level(upload):
    """One published resource with a file per visibility level, plus a lead's proposal."""
    staff = EquipeFactory()
    ressources = {
        level: services.ressource_create(
            actor=staff,
            data={"titre": f"Réhabilitation niveau {level}", "type": "guide", "visibilite": level},
            fichier=upload(f"{level}.pdf", PDF),
        )
        for level in ORDER
    }
    proposal = services.ressource_create(
        actor=ChefDeProjetFactory(),
        data={"titre": "Réhabilitation proposée", "type": "guide", "visibilite": "public"},
        fichier=upload("propose.pdf", PDF),
    )
    return ressources, proposal


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_list_detail_search_feed_and_download_agree_for_every_role_and_level(
    client, user_for_role, role, one_per_level
):
    """Each role sees exactly the levels it may see, the same way in the list, page, search, feed and download."""
    ressources, proposal = one_per_level
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    allowed = levels_for(user)
    listing = client.get("/ressources/").content.decode()
    found = client.get("/ressources/", {"q": "rehabilitation"}).content.decode()
    feed = client.get("/ressources/flux.atom").content.decode()
    for level, ressource in ressources.items():
        visible = level in allowed
        assert (ressource.titre in listing) is visible, ("list", level)
        assert (ressource.titre in found) is visible, ("search", level)
        assert (ressource.titre in feed) is (level == "public"), ("feed", level)
        assert client.get(ressource.get_absolute_url()).status_code == (200 if visible else 404), ("detail", level)
        download = client.get(f"/ressources/{ressource.slug}/fichier/")
        assert download.status_code == (200 if visible else 404), ("download", level)
        version = client.get(f"/ressources/{ressource.slug}/versions/1/")
        assert version.status_code == (200 if visible else 404), ("version", level)
    # A proposal waiting for moderation is seen by staff only (and its author, tested elsewhere).
    staff = role == "equipe"
    assert (proposal.titre in listing) is staff
    assert (proposal.titre in feed) is False
    assert client.get(proposal.get_absolute_url()).status_code == (200 if staff else 404)
    assert client.get(f"/ressources/{proposal.slug}/fichier/").status_code == (200 if staff else 404)


@pytest.mark.django_db
def test_download_is_an_attachment_that_browsers_may_not_sniff(client, chef, upload):
    """A download is served as an attachment with an RFC 5987 name and nosniff."""
    staff = EquipeFactory()
    ressource = services.ressource_create(
        actor=staff,
        data={"titre": "Délibération", "type": "deliberation", "visibilite": "public"},
        fichier=upload("Délibération n°12 été.pdf", PDF),
    )
    response = client.get(f"/ressources/{ressource.slug}/fichier/")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''D%C3%A9lib%C3%A9ration" in disposition
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.django_db
def test_author_sees_own_proposal_and_other_leads_do_not(client, upload):
    """A lead sees their own proposal and sent-back work; another lead gets a 404."""
    author, other = ChefDeProjetFactory(), ChefDeProjetFactory()
    ressource = services.ressource_create(
        actor=author, data={"titre": "Ma fiche OPAH-RU", "type": "fiche_methode"}, fichier=upload("f.pdf", PDF)
    )
    assert ressource.statut == Statut.PROPOSE
    client.force_login(author)
    assert client.get(ressource.get_absolute_url()).status_code == 200
    assert "Ma fiche OPAH-RU" in client.get("/ressources/").content.decode()
    client.force_login(other)
    assert client.get(ressource.get_absolute_url()).status_code == 404
    assert client.get(f"/ressources/{ressource.slug}/fichier/").status_code == 404
    assert "Ma fiche OPAH-RU" not in client.get("/ressources/").content.decode()


@pytest.mark.django_db
def test_media_files_are_not_served_from_a_public_url(client, upload):
    """The media directory has no public URL: only the checking view serves files."""
    ressource = services.ressource_create(
        actor=EquipeFactory(),
        data={"titre": "Secret", "type": "etude", "visibilite": "equipe"},
        fichier=upload("s.pdf", PDF),
    )
    assert client.get(f"/media/{ressource.fichier.name}").status_code == 404
    assert Ressource.objects.visible_to(None).filter(pk=ressource.pk).exists() is False


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_comments_follow_the_visibility_of_their_thread(user_for_role, role):
    """A comment is visible exactly when its resource is; a hidden one only to staff and its author."""
    from ressources.models import Message
    from tests.factories.ressources import MessageFactory, RessourceFactory

    user = user_for_role(role)
    allowed = levels_for(user)
    by_level = {level: MessageFactory(question=None, ressource=RessourceFactory(visibilite=level)) for level in ORDER}
    hidden = MessageFactory(question=None, ressource=RessourceFactory(visibilite="public"), masque=True)
    visible = set(Message.objects.visible_to(user))
    for level, message in by_level.items():
        assert (message in visible) is (level in allowed)
    assert (hidden in visible) is (role == "equipe")
