"""Curation: keep or discard with corrected tags and a summary, suggestions, keyword rules."""

import pytest
from django.urls import reverse

from panorama import services
from panorama.models import ArticlePresse, RegleMotCle
from reseau_acv.core.models import Theme
from tests.factories.panorama import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_staff_keep_an_article_with_corrected_tags_and_summary(client, equipe, villes):
    """From the review page, staff keep an article, fix its towns and themes, and write a summary."""
    article = ArticleFactory(statut=ArticlePresse.Statut.A_TRIER, villes=[villes["dreux"]], resume="")
    habitat = Theme.objects.get(slug="habitat")
    client.force_login(equipe)
    prefix = f"a{article.pk}"
    response = client.post(
        reverse("panorama:article-review", args=[article.pk]),
        {
            f"{prefix}-resume": "Notre résumé.",
            f"{prefix}-villes": [villes["blois"].pk],
            f"{prefix}-themes": [habitat.pk],
            f"{prefix}-visibilite": "public",
            "decision": "retenir",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.statut == ArticlePresse.Statut.RETENU
    assert article.resume == "Notre résumé."
    assert [v.slug for v in article.villes.all()] == ["blois"]
    assert [t.slug for t in article.themes.all()] == ["habitat"]
    assert article.trie_par == equipe


def test_staff_discard_an_article(client, equipe):
    """« Écarter » takes an article out of the queue without publishing it."""
    article = ArticleFactory(statut=ArticlePresse.Statut.A_TRIER)
    client.force_login(equipe)
    client.post(
        reverse("panorama:article-review", args=[article.pk]),
        {f"a{article.pk}-visibilite": "partenaires", "decision": "ecarter"},
    )
    article.refresh_from_db()
    assert article.statut == ArticlePresse.Statut.ECARTE
    assert not ArticlePresse.objects.queue().exists()


def test_review_service_refuses_non_staff(chef):
    """Only staff curate."""
    from django.core.exceptions import PermissionDenied

    article = ArticleFactory(statut=ArticlePresse.Statut.A_TRIER)
    with pytest.raises(PermissionDenied):
        services.article_review(
            actor=chef, article=article, keep=True, villes=[], themes=[], resume="", visibilite="public"
        )


def test_queue_shows_why_an_article_matched(client, equipe, villes):
    """The queue lists waiting articles with the town written and the reason of the match."""
    source = SourceFactory(departements="28")
    services.ingest_entries(
        source=source,
        entries=[{"title": "Dreux : la gare rénovée", "link": "https://presse.example/dreux-gare", "id": "g1"}],
    )
    client.force_login(equipe)
    content = client.get(reverse("panorama:article-queue")).content.decode()
    assert "Dreux : la gare rénovée" in content
    assert "département couvert par la source" in content


def test_member_suggests_a_paywalled_article(client, chef, villes):
    """A member gives a reference by hand; it enters the queue, tagged, and a second time is refused."""
    source = SourceFactory(departements="41")
    client.force_login(chef)
    data = {
        "titre": "Blois : la halle rouvre",
        "source": source.pk,
        "publie_le": "2026-10-05",
        "url": "https://presse.example/abonnes/blois-halle",
    }
    response = client.post(reverse("panorama:article-suggest"), data)
    assert response.status_code == 302
    article = ArticlePresse.objects.get()
    assert article.statut == ArticlePresse.Statut.A_TRIER
    assert article.propose_par == chef
    assert [v.slug for v in article.villes.all()] == ["blois"]
    response = client.post(reverse("panorama:article-suggest"), {**data, "url": data["url"] + "?utm_source=x"})
    assert response.status_code == 200
    assert "déjà dans le panorama" in response.content.decode()
    assert ArticlePresse.objects.count() == 1


def test_anonymous_cannot_suggest(client):
    """Suggesting needs an account."""
    assert client.get(reverse("panorama:article-suggest")).status_code == 302


def test_rule_preview_then_save_then_apply(client, equipe, villes):
    """Staff preview a rule on stored articles, save it, then apply it to them."""
    numerique = Theme.objects.get(slug="numerique")
    target = ArticleFactory(titre="Blois : la fibre arrive dans le centre ancien")
    ArticleFactory(titre="Blois : la fibrerie ferme")  # not the word « fibre »
    client.force_login(equipe)
    url = reverse("panorama:regle-list")
    preview = client.post(url, {"motif": "fibre", "theme": numerique.pk, "action": "previsualiser"})
    assert preview.context["preview"]["count"] == 1
    assert not RegleMotCle.objects.filter(motif="fibre").exists()
    client.post(url, {"motif": "fibre", "theme": numerique.pk, "action": "enregistrer"})
    regle = RegleMotCle.objects.get(motif="fibre")
    assert not target.themes.exists()
    client.post(reverse("panorama:regle-apply", args=[regle.pk]))
    assert [t.slug for t in target.themes.all()] == ["numerique"]
    client.post(reverse("panorama:regle-apply", args=[regle.pk]))  # applying twice adds nothing
    assert target.themes.count() == 1


def test_programme_rule_brings_stored_articles_into_the_queue(equipe, villes):
    """A new programme keyword applied to stored articles puts the ones it matches in the queue."""
    from villes.models import Programme

    article = ArticleFactory(
        titre="Les Petites villes de demain se réunissent", statut=ArticlePresse.Statut.HORS_PERIMETRE
    )
    regle = services.regle_save(
        actor=equipe, motif="Petites villes de demain", theme=None, programme=Programme.objects.get(code="pvd")
    )
    assert services.regle_apply(actor=equipe, regle=regle) == 1
    article.refresh_from_db()
    assert article.statut == ArticlePresse.Statut.A_TRIER
    assert [p.code for p in article.programmes.all()] == ["pvd"]


def test_subscription_to_editions(client, partenaire):
    """A member subscribes to the editions by e-mail and unsubscribes."""
    from panorama.models import AbonnementEdition

    client.force_login(partenaire)
    client.post(reverse("panorama:abonnement-update"), {"actif": "on"})
    assert AbonnementEdition.objects.get(membre=partenaire).actif
    client.post(reverse("panorama:abonnement-update"), {})
    assert not AbonnementEdition.objects.get(membre=partenaire).actif


def test_a_town_staff_remove_is_not_proposed_again_after_the_same_words(client, equipe, villes):
    """Staff take Blois off « les Journées de Blois » in Paris; the next such headline is not tagged Blois."""
    from panorama.models import ExceptionEtiquetage

    source = SourceFactory(departements="41")
    services.ingest_entries(
        source=source,
        entries=[{"title": "Paris : les Journées de Blois au Grand Palais", "link": "https://p.example/1", "id": "1"}],
    )
    article = ArticlePresse.objects.get()
    assert [v.slug for v in article.villes.all()] == ["blois"]
    client.force_login(equipe)
    client.post(
        reverse("panorama:article-review", args=[article.pk]),
        {f"a{article.pk}-visibilite": "partenaires", "decision": "ecarter"},
    )
    exception = ExceptionEtiquetage.objects.get()
    assert (exception.ville, exception.contexte, exception.source) == (villes["blois"], "journees de", None)
    other = SourceFactory(departements="41")
    services.ingest_entries(
        source=other,
        entries=[
            {"title": "Lyon : les Journées de Blois en tournée", "link": "https://p.example/2", "id": "2"},
            {"title": "Blois : la rue du Commerce rouvre", "link": "https://p.example/3", "id": "3"},
        ],
    )
    lyon = ArticlePresse.objects.get(titre__startswith="Lyon")
    assert not lyon.villes.exists()
    assert lyon.statut == ArticlePresse.Statut.HORS_PERIMETRE
    assert [v.slug for v in ArticlePresse.objects.get(titre__startswith="Blois").villes.all()] == ["blois"]
