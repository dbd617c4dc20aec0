"""Pages: visibility for every role (not allowed looks like not found), query counts, press law."""

import re

import pytest
from django.urls import reverse

from panorama.models import ArticlePresse, Edition
from reseau_acv.core.visibility import Visibilite
from tests.conftest import ROLES
from tests.factories.panorama import ArticleFactory, EditionFactory, SourceFactory

pytestmark = pytest.mark.django_db

# Which roles see content of each level.
SEES = {
    Visibilite.PUBLIC: {"anonyme", "partenaire", "chef_de_projet", "equipe"},
    Visibilite.PARTENAIRES: {"partenaire", "chef_de_projet", "equipe"},
    Visibilite.RESEAU: {"chef_de_projet", "equipe"},
    Visibilite.EQUIPE: {"equipe"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("level", list(SEES))
def test_article_visibility_for_every_role(client_for, role, level):
    """A kept article shows in the list and on its page only for roles of its level; others get 404."""
    article = ArticleFactory(titre="Vierzon : la friche devient parc", visibilite=level)
    client = client_for(role)
    listing = client.get(reverse("panorama:article-list"))
    detail = client.get(article.get_absolute_url())
    if role in SEES[level]:
        assert "Vierzon : la friche devient parc" in listing.content.decode()
        assert detail.status_code == 200
    else:
        assert "Vierzon : la friche devient parc" not in listing.content.decode()
        assert detail.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_queued_and_discarded_articles_are_staff_only(client_for, role):
    """An article waiting in the queue or discarded is seen by staff only, even if marked public."""
    waiting = ArticleFactory(statut=ArticlePresse.Statut.A_TRIER, visibilite=Visibilite.PUBLIC)
    discarded = ArticleFactory(statut=ArticlePresse.Statut.ECARTE, visibilite=Visibilite.PUBLIC)
    client = client_for(role)
    expected = 200 if role == "equipe" else 404
    assert client.get(waiting.get_absolute_url()).status_code == expected
    assert client.get(discarded.get_absolute_url()).status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("level", list(SEES))
def test_edition_visibility_for_every_role(client_for, role, level):
    """A published edition, its PDF and its entry in the archive and the Atom feed follow its level."""
    edition = EditionFactory(titre="Panorama de septembre", visibilite=level)
    client = client_for(role)
    archive = client.get(reverse("panorama:edition-list")).content.decode()
    feed = client.get(reverse("panorama:edition-feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    page = client.get(edition.get_absolute_url())
    pdf = client.get(reverse("panorama:edition-pdf", args=[edition.pk]))
    visible = role in SEES[level]
    assert ("Panorama de septembre" in archive) is visible
    assert ("Panorama de septembre" in feed.content.decode()) is visible
    assert page.status_code == (200 if visible else 404)
    assert pdf.status_code == (200 if visible else 404)
    if visible:
        assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ROLES)
def test_draft_edition_is_staff_only(client_for, role):
    """A draft edition is not in the archive, the feed or at its address for anyone but staff."""
    edition = EditionFactory(
        titre="Brouillon d'octobre", statut=Edition.Statut.BROUILLON, publiee_le=None, visibilite=Visibilite.PUBLIC
    )
    client = client_for(role)
    assert client.get(edition.get_absolute_url()).status_code == (200 if role == "equipe" else 404)
    assert "Brouillon d'octobre" not in client.get(reverse("panorama:edition-feed")).content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name", ["panorama:article-queue", "panorama:source-list", "panorama:regle-list", "panorama:edition-create"]
)
def test_staff_pages(client_for, role, name):
    """Staff pages: anonymous visitors are sent to sign in, members get 404, staff get the page."""
    response = client_for(role).get(reverse(name))
    expected = {"anonyme": 302, "partenaire": 404, "chef_de_projet": 404, "equipe": 200}[role]
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_review_page_is_staff_only(client_for, role):
    """The review page of a queued article answers 404 to everyone but staff (sign-in for anonymous)."""
    article = ArticleFactory(statut=ArticlePresse.Statut.A_TRIER)
    response = client_for(role).get(reverse("panorama:article-review", args=[article.pk]))
    assert response.status_code == {"anonyme": 302, "partenaire": 404, "chef_de_projet": 404, "equipe": 200}[role]


def test_feed_text_is_never_shown(client_for):
    """Press law: the feed's summary is stored but never appears on any page, even for staff."""
    article = ArticleFactory(
        titre="Gien : la halle rouverte",
        statut=ArticlePresse.Statut.A_TRIER,
        parution__resume_flux="TEXTE-SECRET-DU-FLUX",
    )
    client = client_for("equipe")
    for url in (
        reverse("panorama:article-list"),
        article.get_absolute_url(),
        reverse("panorama:article-queue"),
        reverse("panorama:article-review", args=[article.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "TEXTE-SECRET-DU-FLUX" not in response.content.decode()


def _make_articles(n, villes):
    source = SourceFactory()
    for i in range(n):
        ArticleFactory(titre=f"Blois : sujet {i}", villes=[villes["blois"], villes["dreux"]], parution__source=source)


@pytest.mark.parametrize("n", [1, 8])
def test_panorama_list_query_count_is_constant(client_for, villes, django_assert_num_queries, n):
    """The panorama page runs the same number of queries for 1 and for 8 articles."""
    _make_articles(n, villes)
    client = client_for("partenaire")
    # session + user, filter choices (themes; towns and sources come from their pickers), count, page, villes,
    # themes, parutions+sources
    with django_assert_num_queries(8):
        response = client.get(reverse("panorama:article-list"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 8])
def test_town_page_press_section_query_count_is_constant(client_for, villes, django_assert_num_queries, n):
    """The town page's press section (mentions and chart) costs the same for 1 and 8 articles."""
    _make_articles(n, villes)
    client = client_for("partenaire")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        response = client.get(villes["blois"].get_absolute_url())
    assert "Dans la presse" in response.content.decode()
    assert f"Blois : sujet {n - 1}" in response.content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(villes["blois"].get_absolute_url())
    # The same for 1 and 8 articles: the latest articles with their references, the chart's
    # counts and the members-only count; the figures are kept a few minutes (a second visit).
    assert len([q for q in first.captured_queries if "panorama_" in q["sql"]]) == 6
    assert len([q for q in queries.captured_queries if "panorama_" in q["sql"]]) == 4


def test_filters_by_town_theme_source_and_period(client_for, villes):
    """The panorama filters by town, theme, source and period."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from reseau_acv.core.models import Theme

    PARIS = ZoneInfo("Europe/Paris")  # noqa: N806 (a constant of this test)
    habitat = Theme.objects.get(slug="habitat")
    nr = SourceFactory(nom="NR")
    ArticleFactory(
        titre="Blois habitat",
        villes=[villes["blois"]],
        themes=[habitat],
        parution__source=nr,
        publie_le=datetime(2026, 10, 5, tzinfo=PARIS),
    )
    ArticleFactory(titre="Dreux divers", villes=[villes["dreux"]], publie_le=datetime(2026, 9, 5, tzinfo=PARIS))
    client = client_for("partenaire")
    url = reverse("panorama:article-list")

    def titles(**params):
        return {a.titre for a in client.get(url, params).context["articles"]}

    assert titles(ville="blois") == {"Blois habitat"}
    assert titles(theme="habitat") == {"Blois habitat"}
    assert titles(source=nr.pk) == {"Blois habitat"}
    assert titles(du="2026-09-01", au="2026-09-30") == {"Dreux divers"}


@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet", "equipe"])
def test_dashboard_panel(client_for, role):
    """The dashboard lists the latest references; staff also see the queue and failing feeds."""
    ArticleFactory(titre="Vierzon : la friche devient parc")
    ArticleFactory(titre="En attente de tri", statut=ArticlePresse.Statut.A_TRIER)
    SourceFactory(echecs_consecutifs=2, derniere_erreur="HTTP 500")
    content = client_for(role).get(reverse("accueil:dashboard")).content.decode()
    assert "Vierzon : la friche devient parc" in content
    assert "En attente de tri" not in content
    assert ("1 article à trier" in content) is (role == "equipe")
    assert ("1 source en échec" in content) is (role == "equipe")


def test_town_page_chart_counts_mentions_per_month(client_for, villes):
    """The town page's chart counts the kept articles naming the town, month by month."""
    ArticleFactory(titre="Blois : un", villes=[villes["blois"]])
    ArticleFactory(titre="Blois : deux", villes=[villes["blois"]])
    ArticleFactory(titre="Dreux : ailleurs", villes=[villes["dreux"]])
    response = client_for("partenaire").get(villes["blois"].get_absolute_url())
    months = response.context["sections"]
    data = next(data for section, data in months if section.key == "presse")
    assert data["total"] == 2
    assert data["months"][-1].count == 2
    assert data["months"][-1].height == 90  # the tallest bar
    assert len(data["months"]) == 12


def test_pages_list_every_visible_article_once_newest_first(client_for, monkeypatch):
    """Page after page, the panorama shows each article the member may see once, newest first."""
    from datetime import timedelta

    from django.utils import timezone

    from panorama import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    now = timezone.now()
    for i in range(5):
        ArticleFactory(titre=f"Article {i}", publie_le=now - timedelta(days=i))
    ArticleFactory(titre="Réservé à l'équipe", publie_le=now - timedelta(hours=12), visibilite=Visibilite.EQUIPE)
    client = client_for("partenaire")
    url = reverse("panorama:article-list")
    pages = [[a.titre for a in client.get(url, {"page": n}).context["articles"]] for n in (1, 2, 3)]
    assert pages == [["Article 0", "Article 1"], ["Article 2", "Article 3"], ["Article 4"]]
    assert client.get(url, {"page": 3}).context["page"].paginator.count == 5


def test_source_filter_lists_an_article_once(client_for):
    """An article that appeared twice in the same source is listed and counted once under it."""
    from panorama.models import Parution

    nr = SourceFactory(nom="NR")
    article = ArticleFactory(titre="Blois : deux parutions", parution__source=nr)
    Parution.objects.create(
        article=article,
        source=nr,
        url="https://nr.example/2",
        url_canonique="https://nr.example/2",
        titre=article.titre,
        publie_le=article.publie_le,
    )
    response = client_for("partenaire").get(reverse("panorama:article-list"), {"source": nr.pk})
    assert [a.titre for a in response.context["articles"]] == ["Blois : deux parutions"]
    assert response.context["page"].paginator.count == 1
    # The source box (no list of every source) shows the chosen source by its name.
    html = response.content.decode()
    assert 'name="source" value="NR"' in html
    assert '<select name="source"' not in html
    assert '<label for="id_source">' in html
    # Typed as a person types it, the name chooses the same source.
    typed = client_for("partenaire").get(reverse("panorama:article-list"), {"source": "nr"})
    assert [a.titre for a in typed.context["articles"]] == ["Blois : deux parutions"]


def test_period_filter_follows_paris_days(client_for):
    """« Du » and « Au » are whole days in Paris time: late evening of the last day counts, the next midnight does not."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    ArticleFactory(titre="Premier matin", publie_le=datetime(2026, 9, 1, 0, 10, tzinfo=paris))
    ArticleFactory(titre="Dernier soir", publie_le=datetime(2026, 9, 30, 23, 30, tzinfo=paris))
    ArticleFactory(titre="Veille", publie_le=datetime(2026, 8, 31, 23, 50, tzinfo=paris))
    ArticleFactory(titre="Lendemain", publie_le=datetime(2026, 10, 1, 0, 5, tzinfo=paris))
    response = client_for("partenaire").get(reverse("panorama:article-list"), {"du": "2026-09-01", "au": "2026-09-30"})
    assert {a.titre for a in response.context["articles"]} == {"Premier matin", "Dernier soir"}


def test_town_page_chart_starts_at_midnight_paris_time(client_for, villes):
    """The chart's first month starts at midnight in Paris: 00:30 that day counts, the evening before does not."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.core.cache import cache

    from panorama.selectors import ville_press

    paris = ZoneInfo("Europe/Paris")
    first = ville_press(ville=villes["blois"], user=None)["months"][0].month
    ArticleFactory(
        titre="Blois : premier jour",
        villes=[villes["blois"]],
        visibilite=Visibilite.PUBLIC,
        publie_le=datetime(first.year, first.month, 1, 0, 30, tzinfo=paris),
    )
    ArticleFactory(
        titre="Blois : veille",
        villes=[villes["blois"]],
        visibilite=Visibilite.PUBLIC,
        publie_le=datetime(first.year, first.month, 1, 0, 30, tzinfo=paris) - timedelta(hours=1),
    )
    cache.clear()  # the figures are kept a few minutes: as after them
    data = ville_press(ville=villes["blois"], user=None)
    assert data["months"][0].count == 1
    assert data["total"] == 1


def test_town_press_chart_names_months_in_full(client_for, villes):
    """The chart's labels are whole French month names (« juin », « juillet »), never « jui » or « jul »."""
    from django.utils import timezone
    from django.utils.formats import date_format

    ArticleFactory(titre="Blois : ce mois-ci", villes=[villes["blois"]], visibilite=Visibilite.PUBLIC)
    content = client_for("partenaire").get(villes["blois"].get_absolute_url()).content.decode()
    labels = re.findall(r'class="press-month"[^>]*>([^<]+)</text>', content)
    assert len(labels) == 12
    assert labels[-1] == date_format(timezone.localdate(), "F")
    assert {"janvier", "juin", "juillet", "décembre"} <= set(labels)
    assert not {"jui", "jul", "jan", "déc"} & set(labels)


def test_anonymous_visitor_is_told_the_town_has_members_only_press(client, villes):
    """A town whose kept articles are all for members says so to an anonymous visitor, with a sign-in link."""
    ArticleFactory(titre="Blois : article réservé", villes=[villes["blois"]], visibilite=Visibilite.PARTENAIRES)
    ArticleFactory(titre="Blois : autre article réservé", villes=[villes["blois"]], visibilite=Visibilite.RESEAU)
    content = client.get(villes["blois"].get_absolute_url()).content.decode()
    assert "2 articles de presse mentionnent cette ville\u00a0; ils sont réservés aux membres du réseau." in content
    assert "Aucun article" not in content
    assert "Blois : article réservé" not in content
    assert "Se connecter pour les lire" in content


def test_anonymous_visitor_reading_public_press_is_told_of_the_members_only_rest(client, villes):
    """Public articles are listed; the members-only ones are counted after them, with a sign-in link."""
    ArticleFactory(titre="Blois : article public", villes=[villes["blois"]], visibilite=Visibilite.PUBLIC)
    ArticleFactory(titre="Blois : article réservé", villes=[villes["blois"]], visibilite=Visibilite.PARTENAIRES)
    content = client.get(villes["blois"].get_absolute_url()).content.decode()
    assert "Blois : article public" in content
    assert "Blois : article réservé" not in content
    assert "1 autre article est réservé aux membres du réseau." in content
    assert "Se connecter pour les lire" in content


def test_town_without_any_press_says_there_is_none(client, villes):
    """With no kept article at all, the section says so plainly."""
    content = client.get(villes["dreux"].get_absolute_url()).content.decode()
    assert "Aucun article retenu ne mentionne cette ville pour l'instant." in content


def test_sources_page_lists_50_sources_a_page_failing_first(client_for):
    """With 60 sources, staff read 50 on the first page (the failing one on top) and the rest on the next."""
    SourceFactory.create_batch(59)
    SourceFactory(nom="Journal en panne", echecs_consecutifs=3, derniere_erreur="HTTP 500")
    client = client_for("equipe")
    first = client.get(reverse("panorama:source-list")).content.decode()
    assert first.count('<th scope="row">') == 50
    assert first.index("Journal en panne") < first.index("Journal régional")
    assert "Page 1 sur 2" in first
    second = client.get(reverse("panorama:source-list"), {"page": 2}).content.decode()
    assert second.count('<th scope="row">') == 10
    assert "Journal en panne" not in second


def test_rules_page_lists_100_rules_a_page(client_for):
    """Keyword rules are listed 100 a page, in the order of their words."""
    from panorama.models import RegleMotCle
    from reseau_acv.core.models import Theme

    theme = Theme.objects.first()
    RegleMotCle.objects.bulk_create([RegleMotCle(motif=f"mot{i:03d}", theme=theme) for i in range(105)])
    client = client_for("equipe")
    first = client.get(reverse("panorama:regle-list")).content.decode()
    assert "mot099" in first
    assert "mot100" not in first
    second = client.get(reverse("panorama:regle-list"), {"page": 2}).content.decode()
    assert "mot104" in second
    assert "mot099" not in second


@pytest.mark.parametrize(("role", "hidden"), [("anonyme", 3), ("partenaire", 2), ("chef_de_projet", 1), ("equipe", 0)])
def test_town_press_counts_the_kept_articles_above_the_visitor_level(user_for_role, villes, role, hidden):
    """The town's « réservés » count is its kept articles above the visitor's level: not those awaiting
    sorting or rejected, not another town's, and nothing for staff who see everything."""
    from panorama.selectors import ville_press

    for level in Visibilite:
        ArticleFactory(titre=f"Blois : {level}", villes=[villes["blois"]], visibilite=level)
    ArticleFactory(titre="Blois : à trier", villes=[villes["blois"]], visibilite=Visibilite.EQUIPE, statut="a_trier")
    ArticleFactory(titre="Blois : écarté", villes=[villes["blois"]], visibilite=Visibilite.RESEAU, statut="ecarte")
    ArticleFactory(titre="Dreux : réservé", villes=[villes["dreux"]], visibilite=Visibilite.RESEAU)
    data = ville_press(ville=villes["blois"], user=user_for_role(role))
    assert data["hidden"] == hidden
    assert len(data["articles"]) == 4 - hidden


def test_town_page_press_figures_are_kept_a_few_minutes_per_level(villes):
    """The town's press figures (mentions per month, members-only count) are kept five minutes for
    each level of visitor: a partner never gets a lead's figures, and new articles count once they expire."""
    from django.core.cache import cache

    ArticleFactory(titre="Blois : public", villes=[villes["blois"]], visibilite=Visibilite.PUBLIC)
    ArticleFactory(titre="Blois : réseau", villes=[villes["blois"]], visibilite=Visibilite.RESEAU)
    from panorama.selectors import ville_press
    from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory

    lead, partenaire = ChefDeProjetFactory(), PartenaireFactory()
    assert (
        ville_press(ville=villes["blois"], user=partenaire)["total"],
        ville_press(ville=villes["blois"], user=partenaire)["hidden"],
    ) == (1, 1)
    assert (
        ville_press(ville=villes["blois"], user=lead)["total"],
        ville_press(ville=villes["blois"], user=lead)["hidden"],
    ) == (2, 0)
    ArticleFactory(titre="Blois : nouveau", villes=[villes["blois"]], visibilite=Visibilite.PUBLIC)
    assert ville_press(ville=villes["blois"], user=partenaire)["total"] == 1  # kept
    assert [a.titre for a in ville_press(ville=villes["blois"], user=partenaire)["articles"]][0] == "Blois : nouveau"
    cache.clear()  # five minutes later
    assert ville_press(ville=villes["blois"], user=partenaire)["total"] == 2
