"""Curation: keep or discard with corrected tags and a summary, suggestions, keyword rules."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from panorama import services
from panorama.models import ArticlePresse, RegleMotCle
from panorama.selectors import CURATION_SOURCES_KEY
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
            f"{prefix}-villes": [villes["blois"].code_insee],
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


def _queue(n, villes, **kwargs):
    source = SourceFactory(nom="Le Petit Solognot")
    return [
        ArticleFactory(
            titre=f"Blois : sujet {i}",
            statut=ArticlePresse.Statut.A_TRIER,
            villes=[villes["blois"]],
            parution__source=source,
            **kwargs,
        )
        for i in range(n)
    ]


def test_curation_page_shows_each_article_with_why_it_matched_and_its_summary_field(client, equipe, villes):
    """One page lists the waiting articles, each with the reason it matched, a summary field and its buttons."""
    article = ArticleFactory(
        titre="Blois : la halle rouvre",
        statut=ArticlePresse.Statut.A_TRIER,
        villes=[villes["blois"]],
        motifs=[
            {
                "type": "ville",
                "code": "41018",
                "nom": "Blois",
                "texte": "Blois",
                "raison": "département couvert par la source",
            }
        ],
    )
    client.force_login(equipe)
    content = client.get(reverse("panorama:article-queue")).content.decode()
    assert "Blois : la halle rouvre" in content
    assert "département couvert par la source" in content
    assert f'name="resume-{article.pk}"' in content
    assert f'name="retenir" value="{article.pk}"' in content
    assert "Retenir la sélection" in content
    assert "Raccourcis clavier" in content


def test_keep_one_article_with_its_summary_without_javascript(client, equipe, villes):
    """« Retenir » on one article keeps it with the summary typed beside it, and comes back to the same filters."""
    first, second = _queue(2, villes)
    client.force_login(equipe)
    response = client.post(
        reverse("panorama:article-queue"),
        {
            "retenir": first.pk,
            f"resume-{first.pk}": "Notre résumé.",
            f"resume-{second.pk}": "",
            "retour": "ville=blois",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("panorama:article-queue") + "?ville=blois"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.statut, first.resume, first.trie_par) == (ArticlePresse.Statut.RETENU, "Notre résumé.", equipe)
    assert second.statut == ArticlePresse.Statut.A_TRIER
    assert "1 article retenu." in client.get(response["Location"]).content.decode()


def test_discard_a_selection_at_once(client, equipe, villes):
    """Checked articles are discarded together; unchecked ones stay in the queue."""
    articles = _queue(4, villes)
    client.force_login(equipe)
    client.post(reverse("panorama:article-queue"), {"selection": "ecarter", "articles": [a.pk for a in articles[:3]]})
    assert ArticlePresse.objects.filter(statut=ArticlePresse.Statut.ECARTE).count() == 3
    assert list(ArticlePresse.objects.queue()) == [articles[3]]


def test_save_a_summary_without_deciding(client, equipe, villes):
    """« Enregistrer le résumé » writes the team's summary and leaves the article waiting."""
    (article,) = _queue(1, villes)
    client.force_login(equipe)
    client.post(reverse("panorama:article-queue"), {"resume": article.pk, f"resume-{article.pk}": "À garder en tête."})
    article.refresh_from_db()
    assert (article.statut, article.resume) == (ArticlePresse.Statut.A_TRIER, "À garder en tête.")


def test_javascript_decisions_get_a_json_answer(client, equipe, villes):
    """Asked for JSON, the page answers what it did and how many articles are left."""
    articles = _queue(3, villes)
    client.force_login(equipe)
    response = client.post(
        reverse("panorama:article-queue"), {"ecarter": articles[0].pk}, headers={"Accept": "application/json"}
    )
    assert response.json() == {"ids": [articles[0].pk], "retenu": False, "message": "1 article écarté.", "restant": 2}


def test_an_article_sorted_meanwhile_is_not_sorted_again(client, equipe, villes):
    """A colleague kept it a moment ago: discarding it from a stale page changes nothing."""
    (article,) = _queue(1, villes)
    ArticlePresse.objects.filter(pk=article.pk).update(statut=ArticlePresse.Statut.RETENU)
    client.force_login(equipe)
    client.post(reverse("panorama:article-queue"), {"ecarter": article.pk})
    article.refresh_from_db()
    assert article.statut == ArticlePresse.Statut.RETENU


def test_curation_filters_by_town_theme_and_source(client, equipe, villes):
    """The town (with the town picker), theme and source filters narrow the list."""
    habitat = Theme.objects.get(slug="habitat")
    ArticleFactory(
        titre="Blois : habitat", statut=ArticlePresse.Statut.A_TRIER, villes=[villes["blois"]], themes=[habitat]
    )
    ArticleFactory(titre="Dreux : commerces", statut=ArticlePresse.Statut.A_TRIER, villes=[villes["dreux"]])
    ArticleFactory(titre="Vendôme : déjà retenu", statut=ArticlePresse.Statut.RETENU, villes=[villes["vendome"]])
    client.force_login(equipe)
    content = client.get(reverse("panorama:article-queue"), {"ville": villes["dreux"].code_insee}).content.decode()
    assert "Dreux : commerces" in content
    assert "Blois : habitat" not in content
    content = client.get(reverse("panorama:article-queue"), {"theme": "habitat"}).content.decode()
    assert "Blois : habitat" in content
    assert "Dreux : commerces" not in content


def test_curation_filters_never_list_more_than_50_options(client, equipe):
    """Towns go through the town picker (no list of towns); the source list keeps the 50 with most articles waiting."""
    from tests.factories.villes import VilleFactory

    for i in range(60):
        ville = VilleFactory(nom=f"Commune {i:02d}", slug=f"commune-{i:02d}")
        source = SourceFactory(nom=f"Journal {i:02d}")
        ArticleFactory(
            titre=f"Commune {i:02d} : sujet",
            statut=ArticlePresse.Statut.A_TRIER,
            villes=[ville],
            parution__source=source,
        )
    client.force_login(equipe)
    response = client.get(reverse("panorama:article-queue"))
    content = response.content.decode()
    assert (
        max(len(re.findall(r"<option", select)) for select in re.findall(r"<select.*?</select>", content, re.S)) <= 51
    )
    assert "Commune 00" not in re.sub(r"<li class=\"curation-item.*?</li>", "", content, flags=re.S)
    assert len(response.context["form"].fields["source"].choices) == 51  # « Toutes les sources » and 50


def test_curation_source_ranking_is_kept_five_minutes(client, equipe, django_assert_num_queries):
    """The source filter's ranking (it counts every waiting article's appearances) is computed once, then reused."""
    ArticleFactory(statut=ArticlePresse.Statut.A_TRIER, parution__source=SourceFactory(nom="L'Écho du Berry"))
    client.force_login(equipe)
    client.get(reverse("panorama:article-queue"))
    ArticleFactory(statut=ArticlePresse.Statut.A_TRIER, parution__source=SourceFactory(nom="La République du Centre"))
    # session, user, themes, count, ids, articles, villes, themes, parutions+sources: no ranking
    with django_assert_num_queries(9):
        response = client.get(reverse("panorama:article-queue"))
    assert [label for _key, label in response.context["form"].fields["source"].choices[1:]] == ["L'Écho du Berry"]
    cache.delete(CURATION_SOURCES_KEY)  # five minutes later
    response = client.get(reverse("panorama:article-queue"))
    sources = [label for _key, label in response.context["form"].fields["source"].choices[1:]]
    assert sources == ["L'Écho du Berry", "La République du Centre"]
    source = response.context["form"].fields["source"].choices[2][0]
    response = client.get(reverse("panorama:article-queue"), {"source": source})
    assert [a.parutions.all()[0].source.nom for a in response.context["articles"]] == ["La République du Centre"]


@pytest.mark.parametrize("n", [1, 30])
def test_curation_page_query_count_is_constant(client, equipe, villes, django_assert_num_queries, n):
    """The curation page runs the same queries for 1 and for 30 waiting articles."""
    _queue(n, villes)
    client.force_login(equipe)
    # session, user, filter sources (ranked: kept five minutes), themes, count, ids, articles, villes, themes,
    # parutions+sources
    with django_assert_num_queries(10):
        response = client.get(reverse("panorama:article-queue"))
    assert len(response.context["articles"]) == n


def test_curation_is_for_staff_only(client, chef):
    """A project lead gets « not found » on the curation page and cannot post a decision."""
    (article,) = [ArticleFactory(statut=ArticlePresse.Statut.A_TRIER)]
    client.force_login(chef)
    assert client.get(reverse("panorama:article-queue")).status_code == 404
    assert client.post(reverse("panorama:article-queue"), {"retenir": article.pk}).status_code == 404
    article.refresh_from_db()
    assert article.statut == ArticlePresse.Statut.A_TRIER


def test_a_summary_written_on_the_curation_page_is_searchable(client, equipe, villes):
    """The team's summary, saved with « Retenir » from the curation page, is found by the panorama's search."""
    from panorama import selectors

    (article,) = _queue(1, villes)
    client.force_login(equipe)
    client.post(reverse("panorama:article-queue"), {"retenir": article.pk, f"resume-{article.pk}": "Une ludothèque."})
    found = selectors.articles_search(queryset=ArticlePresse.objects.kept(), text="ludothèque")
    assert list(found.queryset) == [article]


def test_member_types_the_source_of_a_suggested_article(client, chef, villes):
    """The suggestion form names its source in a text box (150 sources nationally: no list of them all);
    a unique part of the name is enough, an unknown one is explained and nothing is recorded."""
    source = SourceFactory(nom="La Nouvelle République du Centre-Ouest", departements="41")
    SourceFactory(nom="Le Berry républicain", departements="18")
    client.force_login(chef)
    form = client.get(reverse("panorama:article-suggest")).content.decode()
    assert '<select name="source"' not in form
    data = {"titre": "Blois : la halle rouvre", "publie_le": "2026-10-05", "url": "https://presse.example/a/1"}
    refused = client.post(reverse("panorama:article-suggest"), {**data, "source": "Ouest-France"})
    assert refused.status_code == 200
    assert "« Ouest-France » : aucune source de ce nom" in refused.content.decode()
    assert not ArticlePresse.objects.exists()
    response = client.post(reverse("panorama:article-suggest"), {**data, "source": "nouvelle republique"})
    assert response.status_code == 302
    assert ArticlePresse.objects.get().parutions.get().source == source
    suggested = client.get(reverse("panorama:source-choices"), {"q": "berry"}).json()["results"]
    assert [s["label"] for s in suggested] == ["Le Berry républicain"]
