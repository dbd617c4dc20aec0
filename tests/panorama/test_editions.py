"""Editions: grouping by town then theme, publication, PDF, e-mail exactly once per person."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

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


def _titles(sections):
    return [(section.titre, [a.titre for a in section.articles]) for section in sections]


def test_a_new_draft_starts_with_the_period_kept_articles_each_once_by_town(equipe, octobre):
    """A new draft holds the period's kept articles at its level, each once, under its first town."""
    edition = draft(equipe)
    assert _titles(selectors.edition_sections(edition=edition)) == [
        ("Blois", ["Blois : la rue du Commerce rouvre", "Blois : l'OPAH-RU", "Dreux et Blois signent"]),
        ("Dreux", ["Dreux : logements rénovés"]),
        ("Le réseau et les programmes", ["Action Cœur de Ville prolongé"]),
    ]


def test_grouped_by_theme_an_article_with_two_themes_appears_once(equipe, octobre):
    """By theme, an article with two themes is listed once, under the first in the taxonomy."""
    habitat, commerce = Theme.objects.get(slug="habitat"), Theme.objects.get(slug="commerce")
    octobre["blois_commerce"].themes.add(habitat)
    edition = draft(equipe)
    edition.regroupement = Edition.Regroupement.THEME
    sections = selectors.edition_sections(edition=edition)
    titles = [a.titre for section in sections for a in section.articles]
    assert len(titles) == len(set(titles)) == 5
    assert _titles(sections)[0] == (
        habitat.nom,
        ["Blois : la rue du Commerce rouvre", "Blois : l'OPAH-RU", "Dreux : logements rénovés"],
    )
    assert commerce.nom not in [section.titre for section in sections]


def test_staff_remove_add_and_reorder_articles_and_sections(equipe, octobre):
    """Staff take an article out, put it back at the end, move one up and move a whole town up."""
    edition = draft(equipe)
    commerce, habitat = octobre["blois_commerce"], octobre["blois_habitat"]
    services.edition_article_remove(actor=equipe, edition=edition, article_id=commerce.pk)
    assert commerce not in selectors.edition_articles(edition=edition)
    assert commerce in selectors.edition_candidates(edition=edition)
    assert services.edition_articles_add(actor=equipe, edition=edition, article_ids=[commerce.pk, commerce.pk]) == 1
    assert _titles(selectors.edition_sections(edition=edition))[0][1][-1] == commerce.titre
    services.edition_article_move(actor=equipe, edition=edition, article_id=commerce.pk, vers="haut")
    assert _titles(selectors.edition_sections(edition=edition))[0][1] == [
        habitat.titre,
        commerce.titre,
        "Dreux et Blois signent",
    ]
    dreux = next(s for s in selectors.edition_sections(edition=edition) if s.titre == "Dreux")
    services.edition_section_move(actor=equipe, edition=edition, slug=dreux.slug, vers="haut")
    assert [s.titre for s in selectors.edition_sections(edition=edition)] == [
        "Dreux",
        "Blois",
        "Le réseau et les programmes",
    ]


def test_only_kept_articles_of_the_period_at_the_edition_level_can_be_added(equipe, octobre):
    """An article outside the period or above the edition's visibility is not added."""
    edition = draft(equipe)
    added = services.edition_articles_add(
        actor=equipe, edition=edition, article_ids=[octobre["novembre"].pk, octobre["reseau"].pk]
    )
    assert added == 0
    assert len(selectors.edition_articles(edition=edition)) == 5


def test_publish_freezes_the_articles_of_the_period(equipe, octobre, villes, django_capture_on_commit_callbacks):
    """A published edition keeps the articles staff chose, even when later ones are kept for the same period."""
    edition = draft(equipe)
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_publish(actor=equipe, edition=edition)
    edition.refresh_from_db()
    assert edition.statut == Edition.Statut.PUBLIEE
    assert edition.articles.count() == 5
    ArticleFactory(titre="Arrivé après", publie_le=OCTOBRE, villes=[villes["blois"]])
    assert len(selectors.edition_articles(edition=edition)) == 5
    with pytest.raises(ValidationError):
        services.edition_articles_add(actor=equipe, edition=edition, article_ids=[octobre["dreux"].pk])


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
    document = edition_document(edition=edition, sections=selectors.edition_sections(edition=edition))
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


def _send_queries(equipe, n, django_capture_on_commit_callbacks) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for user in PartenaireFactory.create_batch(n):
        AbonnementEdition.objects.create(membre=user, actif=True)
    edition = draft(equipe)
    with django_capture_on_commit_callbacks(execute=False):
        services.edition_publish(actor=equipe, edition=edition)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
        created = services.edition_send(edition_id=edition.pk)
    return created, len(queries)


def test_an_edition_to_50_subscribers_is_recorded_in_as_many_queries_as_to_5(
    equipe, octobre, django_capture_on_commit_callbacks
):
    """Sending an edition records every subscriber's e-mail in constant queries (outbox_record_many)."""
    created_5, queries_5 = _send_queries(equipe, 5, django_capture_on_commit_callbacks)
    Courriel.objects.all().delete()
    AbonnementEdition.objects.all().delete()
    created_50, queries_50 = _send_queries(equipe, 50, django_capture_on_commit_callbacks)
    assert (created_5, created_50) == (5, 50)
    assert queries_50 == queries_5
    assert Courriel.objects.filter(objet_envoi="panorama.edition").count() == 50


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


def _in_order(text: str, expected: list[str]) -> bool:
    """Every expected string appears once in ``text``, in that order."""
    position = -1
    for item in expected:
        if text.count(item) != 1:
            return False
        found = text.index(item)
        if found < position:
            return False
        position = found
    return True


def test_web_page_pdf_and_email_show_the_same_thing(client, equipe, octobre, django_capture_on_commit_callbacks):
    """The published edition's page, its PDF and its e-mail list the same sections and articles in the same order."""
    import html
    import subprocess

    subscriber = PartenaireFactory()
    AbonnementEdition.objects.create(membre=subscriber, actif=True)
    edition = draft(equipe)
    dreux = next(s for s in selectors.edition_sections(edition=edition) if s.titre == "Dreux")
    services.edition_section_move(actor=equipe, edition=edition, slug=dreux.slug, vers="haut")
    services.edition_article_move(actor=equipe, edition=edition, article_id=octobre["deux_villes"].pk, vers="haut")
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_publish(actor=equipe, edition=edition)
    expected = []
    for section in selectors.edition_sections(edition=edition):
        expected += [f"== {section.titre} ==", *[a.titre for a in section.articles]]
    assert expected[:2] == ["== Dreux ==", "Dreux : logements rénovés"]

    client.force_login(subscriber)
    page = html.unescape(client.get(edition.get_absolute_url()).content.decode())
    page = re.sub(r'<h2 id="rubrique-[^"]*">([^<]*)</h2>', r"== \1 ==", page)
    pdf = client.get(reverse("panorama:edition-pdf", args=[edition.pk])).content
    pdf_text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    pdf_text = " ".join(pdf_text.split())
    headings = [item[3:-3] for item in expected if item.startswith("== ")]
    for heading in headings:
        pdf_text = pdf_text.replace(f" {heading} ", f" == {heading} == ", 1)
    email = Courriel.objects.get(objet_envoi="panorama.edition", destinataire=subscriber.email)

    assert _in_order(page, expected)
    assert _in_order(pdf_text, expected)
    assert _in_order(email.texte, expected)
    assert _in_order(re.sub(r"<h2[^>]*>([^<]*)</h2>", r"== \1 ==", html.unescape(email.html)), expected)


def test_compose_page_moves_articles_with_buttons_and_adds_a_selection(client, equipe, octobre):
    """The compose page's up/down buttons and « Ajouter la sélection » are plain forms that work without JavaScript."""
    edition = draft(equipe)
    services.edition_article_remove(actor=equipe, edition=edition, article_id=octobre["dreux"].pk)
    client.force_login(equipe)
    url = reverse("panorama:edition-compose", args=[edition.pk])
    content = client.get(url).content.decode()
    assert "↑ Monter" in content
    assert "Dreux : logements rénovés" in content  # offered among the period's kept articles
    response = client.post(url, {"descendre": octobre["blois_commerce"].pk})
    assert response["Location"] == f"{url}#choix-{octobre['blois_commerce'].pk}"
    blois = selectors.edition_sections(edition=edition)[0]
    assert [a.titre for a in blois.articles][:2] == ["Blois : l'OPAH-RU", "Blois : la rue du Commerce rouvre"]
    client.post(url, {"selection": "ajouter", "articles": [octobre["dreux"].pk]})
    assert octobre["dreux"] in selectors.edition_articles(edition=edition)
    assert "1 article ajouté." in client.get(url).content.decode()


def test_compose_page_is_for_staff_and_drafts_only(client, chef, equipe, octobre, django_capture_on_commit_callbacks):
    """A lead cannot compose (not found); a published edition is no longer composed."""
    edition = draft(equipe)
    url = reverse("panorama:edition-compose", args=[edition.pk])
    client.force_login(chef)
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_publish(actor=equipe, edition=edition)
    client.force_login(equipe)
    assert client.get(url).status_code == 404


def test_email_preview_shows_the_text_and_the_html(client, equipe, octobre):
    """Staff preview the e-mail: its subject and text, and its HTML version on a page that runs nothing."""
    edition = draft(equipe)
    client.force_login(equipe)
    content = client.get(reverse("panorama:edition-email", args=[edition.pk])).content.decode()
    assert "Panorama de presse : Panorama d&#x27;octobre" in content
    assert "== Blois ==" in content
    response = client.get(reverse("panorama:edition-email", args=[edition.pk]), {"format": "html"})
    assert "Blois : la rue du Commerce rouvre" in response.content.decode()
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("n", [1, 12])
def test_edition_page_query_count_is_constant(client, equipe, villes, django_assert_num_queries, n):
    """The edition page runs the same queries for 1 and 12 articles."""
    for i in range(n):
        ArticleFactory(titre=f"Blois : sujet {i}", publie_le=OCTOBRE, villes=[villes["blois"]])
    edition = draft(equipe)
    client.force_login(equipe)
    # session, user, edition, its version (which articles, in which order, as last changed), then the
    # sections rendered: articles (only what an edition shows), parutions+sources, the towns it groups
    # by — no themes read for an edition grouped by town
    with django_assert_num_queries(7):
        response = client.get(edition.get_absolute_url())
    assert f"Blois : sujet {n - 1}" in response.content.decode()


def test_the_editions_list_counts_the_articles_of_its_page_only(client_for):
    """The list of editions says how many articles each has, counted for the 20 editions it shows
    only (not every edition's articles grouped before the page is cut)."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from panorama.models import EditionArticle

    articles = ArticleFactory.create_batch(3)
    for edition in EditionFactory.create_batch(25):
        EditionArticle.objects.bulk_create(
            [EditionArticle(edition=edition, article=a, ordre=i) for i, a in enumerate(articles)]
        )
    client = client_for("partenaire")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("panorama:edition-list"))
    assert [e.nb_articles for e in response.context["editions"]] == [3] * 20
    sql = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "panorama_edition"."id"'))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0][0]
    nodes, todo = [], [plan["Plan"]]
    while todo:
        nodes.append(todo.pop())
        todo.extend(nodes[-1].get("Plans", []))
    counted = [n for n in nodes if n.get("Relation Name") == "panorama_editionarticle"]
    assert counted, json.dumps(plan)[:2000]
    assert all(n["Actual Loops"] <= 20 and n["Actual Rows"] <= 3 for n in counted), json.dumps(plan)[:2000]


def test_an_edition_shows_each_articles_sources_and_groups_by_its_first_town_in_the_web_pdf_and_email(
    client, equipe, villes
):
    """Each article of an edition is shown once, under its first town by name, with every source it
    appeared in — on the page, in the PDF and in the e-mail alike."""
    from django.template.loader import render_to_string

    from panorama.models import Parution
    from tests.factories.panorama import SourceFactory

    article = ArticleFactory(
        titre="Dreux et Blois : les halles", publie_le=OCTOBRE, villes=[villes["dreux"], villes["blois"]]
    )
    Parution.objects.create(
        article=article,
        source=SourceFactory(nom="Écho du Perche"),
        url="https://echo.example/halles",
        url_canonique="https://echo.example/halles",
        titre=article.titre,
        publie_le=article.publie_le,
    )
    sources = sorted(p.source.nom for p in article.parutions.all())
    assert len(sources) == 2
    edition = draft(equipe)
    sections = selectors.edition_sections(edition=edition)
    assert [(s.titre, [a.titre for a in s.articles]) for s in sections] == [("Blois", ["Dreux et Blois : les halles"])]
    client.force_login(equipe)
    shown = {
        "page": client.get(edition.get_absolute_url()).content.decode(),
        "pdf": render_to_string("panorama/edition_pdf.html", {"edition": edition, "sections": sections}),
        "courriel": render_to_string("emails/panorama/edition.txt", {"edition": edition, "sections": sections}),
    }
    for where, text in shown.items():
        assert all(nom in text for nom in sources), where
    assert "https://echo.example/halles" in shown["pdf"]


def test_the_edition_page_is_rendered_again_as_soon_as_what_it_shows_changes(client_for, equipe, villes):
    """The edition's sections are kept once rendered (a second visit reads only the edition's version),
    yet an article edited, made more private than the edition, or removed from it changes the page at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from panorama.models import ArticlePresse

    kept = ArticleFactory(titre="Blois : la halle rouvre", publie_le=OCTOBRE, villes=[villes["blois"]])
    other = ArticleFactory(titre="Dreux : la gare rénovée", publie_le=OCTOBRE, villes=[villes["dreux"]])
    edition = draft(equipe)
    assert Visibilite.EQUIPE not in edition.article_levels()
    client = client_for("equipe")
    url = edition.get_absolute_url()
    first = client.get(url).content.decode()
    assert "Blois : la halle rouvre" in first
    assert "Dreux : la gare rénovée" in first
    with CaptureQueriesContext(connection) as again:
        assert "Dreux : la gare rénovée" in client.get(url).content.decode()
    assert not any('"panorama_parution"' in q["sql"] for q in again.captured_queries)  # the kept rendering

    kept.resume = "La halle rouvre avec douze commerçants."
    kept.save()
    assert "douze commerçants" in client.get(url).content.decode()
    # Made more private than the edition, even by a bulk update that leaves its timestamp alone.
    ArticlePresse.objects.filter(pk=other.pk).update(visibilite=Visibilite.EQUIPE)
    assert "Dreux : la gare rénovée" not in client.get(url).content.decode()
    edition.choix.filter(article=kept).delete()
    assert "Blois : la halle rouvre" not in client.get(url).content.decode()
