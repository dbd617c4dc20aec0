"""Editions: grouping by town then theme, publication, PDF, e-mail exactly once per person."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from panorama import selectors, services
from panorama.models import AbonnementEdition, Edition
from panorama.tasks import edition_send_task
from reseau_acv.core.models import Courriel, Theme
from reseau_acv.core.outbox import outbox_flush
from reseau_acv.core.visibility import Visibilite
from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory
from tests.factories.panorama import ArticleFactory, EditionFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")

OCTOBRE = datetime(2026, 10, 12, 9, 0, tzinfo=PARIS)


@pytest.fixture
def octobre(villes):
    habitat, commerce = Theme.objects.get(slug="habitat"), Theme.objects.get(slug="commerce")
    return {
        "blois_commerce": ArticleFactory(
            titre="Blois : la rue du Commerce rouvre", publie_le=OCTOBRE, villes=[villes["blois"]], themes=[commerce]
        ),
        "blois_habitat": ArticleFactory(
            titre="Blois : l'OPAH-RU", publie_le=OCTOBRE, villes=[villes["blois"]], themes=[habitat]
        ),
        "dreux": ArticleFactory(
            titre="Dreux : logements rénovés", publie_le=OCTOBRE, villes=[villes["dreux"]], themes=[habitat]
        ),
        "deux_villes": ArticleFactory(
            titre="Dreux et Blois signent", publie_le=OCTOBRE, villes=[villes["dreux"], villes["blois"]]
        ),
        "programme": ArticleFactory(titre="Action Cœur de Ville prolongé", publie_le=OCTOBRE),
        "reseau": ArticleFactory(
            titre="Note interne", publie_le=OCTOBRE, visibilite=Visibilite.RESEAU, villes=[villes["blois"]]
        ),
        "novembre": ArticleFactory(
            titre="Blois en novembre", publie_le=datetime(2026, 11, 3, tzinfo=PARIS), villes=[villes["blois"]]
        ),
    }


def draft(equipe, visibilite=Visibilite.PARTENAIRES):
    return services.edition_save(
        actor=equipe,
        titre="Panorama d'octobre",
        debut=date(2026, 10, 1),
        fin=date(2026, 10, 31),
        introduction="Ce mois-ci, **l'habitat**.",
        visibilite=visibilite,
    )


def test_edition_groups_by_town_then_theme(equipe, octobre):
    """Towns in alphabetical order, then articles naming no town; themes in taxonomy order inside."""
    edition = draft(equipe)
    groups = selectors.edition_groups(edition=edition, levels=edition.article_levels())
    assert [g.ville.nom if g.ville else None for g in groups] == ["Blois", "Dreux", None]
    blois = groups[0]
    assert [t.theme.slug if t.theme else None for t in blois.themes] == ["habitat", "commerce", None]
    assert [a.titre for a in blois.themes[2].articles] == ["Dreux et Blois signent"]
    assert [a.titre for a in groups[1].themes[1].articles] == ["Dreux et Blois signent"]
    titles = {a.titre for g in groups for t in g.themes for a in t.articles}
    assert "Note interne" not in titles  # above the edition's visibility
    assert "Blois en novembre" not in titles  # outside the period


def test_publish_freezes_the_articles_of_the_period(equipe, octobre, villes, django_capture_on_commit_callbacks):
    """A published edition keeps its articles even when later ones are kept for the same period."""
    edition = draft(equipe)
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_publish(actor=equipe, edition=edition)
    edition.refresh_from_db()
    assert edition.statut == Edition.Statut.PUBLIEE
    assert edition.articles.count() == 5
    ArticleFactory(titre="Arrivé après", publie_le=OCTOBRE, villes=[villes["blois"]])
    assert len(selectors.edition_articles(edition=edition, levels=edition.article_levels())) == 5


def test_nothing_to_publish_is_refused(equipe, villes):
    """An edition of a period with no kept article cannot be published."""
    edition = draft(equipe)
    with pytest.raises(ValidationError):
        services.edition_publish(actor=equipe, edition=edition)


def test_only_staff_compose_and_publish(chef, equipe, octobre):
    """A project lead may not compose or publish an edition."""
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        draft(chef)
    edition = draft(equipe)
    with pytest.raises(PermissionDenied):
        services.edition_publish(actor=chef, edition=edition)


def test_pdf_renders(equipe, octobre):
    """The edition's PDF is a real PDF with pages, and carries references only."""
    import shutil
    import subprocess

    from panorama.pdf import edition_document

    edition = draft(equipe)
    groups = selectors.edition_groups(edition=edition, levels=edition.article_levels())
    document = edition_document(edition=edition, groups=groups)
    assert len(document.pages) >= 1
    content = document.write_pdf()
    assert content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
        assert "Blois : la rue du Commerce rouvre" in text
        assert "Texte de l'article réservé" not in text


def test_email_goes_once_per_person_even_when_the_task_runs_twice(equipe, octobre, django_capture_on_commit_callbacks):
    """Subscribers who may see the edition get it once; running the send task again sends nothing more."""
    subscribed = [PartenaireFactory(), ChefDeProjetFactory(), equipe]
    for user in subscribed:
        AbonnementEdition.objects.create(membre=user, actif=True)
    AbonnementEdition.objects.create(membre=PartenaireFactory(), actif=False)
    PartenaireFactory()  # not subscribed
    edition = draft(equipe)
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_publish(actor=equipe, edition=edition)
    with django_capture_on_commit_callbacks(execute=True):
        edition_send_task.apply(kwargs={"edition_id": edition.pk})
        edition_send_task.apply(kwargs={"edition_id": edition.pk})
    outbox_flush()
    assert Courriel.objects.filter(objet_envoi="panorama.edition").count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in subscribed)
    message = mail.outbox[0]
    assert "Panorama de presse : Panorama d'octobre" in message.subject
    assert "Blois : la rue du Commerce rouvre" in message.body
    assert "Texte de l'article réservé" not in message.body  # press law: never the feed's text
    assert "Note interne" not in message.body


def test_reseau_edition_goes_only_to_those_who_may_see_it(equipe, octobre, django_capture_on_commit_callbacks):
    """An edition for the network is not e-mailed to partners, even subscribed ones."""
    partenaire, chef = PartenaireFactory(), ChefDeProjetFactory()
    for user in (partenaire, chef):
        AbonnementEdition.objects.create(membre=user, actif=True)
    edition = draft(equipe, visibilite=Visibilite.RESEAU)
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_publish(actor=equipe, edition=edition)
    recipients = set(Courriel.objects.filter(objet_envoi="panorama.edition").values_list("destinataire", flat=True))
    assert recipients == {chef.email}


def test_published_edition_cannot_be_edited(equipe):
    """Once published, an edition's period and text are frozen."""
    edition = EditionFactory()
    with pytest.raises(ValidationError):
        services.edition_save(
            actor=equipe,
            edition=edition,
            titre="x",
            debut=edition.debut,
            fin=edition.fin,
            introduction="",
            visibilite="public",
        )
