"""Press search on the panorama: the platform's engine, the team's summary shown, never the feed's text."""

from concurrent.futures import ThreadPoolExecutor

import feedparser
import pytest
from django.urls import reverse

from panorama import services
from panorama.models import ArticlePresse
from panorama.recherche import ARTICLE
from reseau_acv.core.recherche import index_refresh
from tests.factories.comptes import EquipeFactory, PartenaireFactory
from tests.factories.panorama import ArticleFactory, SourceFactory

from .conftest import RSS

pytestmark = pytest.mark.django_db
URL = "/panorama/"


def _indexed(**kwargs):
    article = ArticleFactory(**kwargs)
    index_refresh(ARTICLE, [article.pk])
    return article


def _titles(client, **params):
    return [a.titre for a in client.get(URL, params).context["articles"]]


def test_the_panorama_searches_title_summary_towns_and_feed_text_but_shows_only_the_summary(client, villes):
    """The feed's text makes an article found, but the page shows the team's summary, words marked."""
    _indexed(
        titre="La halle rouvre",
        resume="La réhabilitation de la halle est achevée.",
        parution__resume_flux="SECRET-FLUX copropriété",
    )
    _indexed(titre="Autre sujet", resume="Rien à voir.")
    client.force_login(PartenaireFactory())
    assert _titles(client, q="copropriete") == ["La halle rouvre"]
    html = client.get(URL, {"q": "rehabilitation"}).content.decode()
    assert "<mark>réhabilitation</mark>" in html
    assert "SECRET-FLUX" not in client.get(URL, {"q": "copropriete"}).content.decode()


def test_ingested_articles_are_searchable_at_once_by_their_feed_text(client, villes):
    """Bulk ingestion indexes the new stories: the feed's words find them, hidden from the page."""
    services.ingest_entries(source=SourceFactory(), entries=list(feedparser.parse(RSS.encode()).entries))
    ArticlePresse.objects.update(statut=ArticlePresse.Statut.RETENU)
    client.force_login(EquipeFactory())
    assert _titles(client, q="texte reserve editeur") == ["Blois : la rue du Commerce rouvre après six mois de travaux"]


def test_press_search_offers_the_corrected_query_and_sorts_by_date_on_demand(client, villes):
    """A typo is corrected; « date » lists the newest first instead of the most relevant."""
    from datetime import timedelta

    from django.utils import timezone

    _indexed(titre="Réhabilitation de la halle", publie_le=timezone.now() - timedelta(days=400))
    _indexed(titre="Une halle et sa réhabilitation", resume="Brève.", publie_le=timezone.now())
    client.force_login(PartenaireFactory())
    response = client.get(URL, {"q": "rehabilitaton"})
    assert response.context["recherche"].corrigee == "rehabilitation"
    assert len(response.context["articles"]) == 2
    assert _titles(client, q="rehabilitation halle", tri="date")[0] == "Une halle et sa réhabilitation"


@pytest.mark.parametrize("text", ["\x00", "a & b | !(c) :*", '"halle', "x" * 10000, "   "])
def test_bad_input_on_the_panorama_is_a_clear_page(client, villes, text):
    """Operators, NUL bytes and long queries never make the panorama fail."""
    _indexed(titre="La halle rouvre")
    assert client.get(URL, {"q": text}).status_code == (400 if "\x00" in text else 200)


def test_a_keyword_rule_preview_finds_articles_through_the_search_index(client, villes):
    """Staff's rule preview counts the stored articles whose title the rule matches (index first)."""
    _indexed(titre="Commerçants de Blois en fête")
    _indexed(titre="Les commerces rouvrent")
    _indexed(titre="Football")
    from panorama import selectors

    count, sample = selectors.regle_preview(motif="commerç*")
    assert count == 2
    assert sorted(a.titre for a in sample) == ["Commerçants de Blois en fête", "Les commerces rouvrent"]
    assert reverse("panorama:article-list") == URL


def _lexemes() -> dict[str, set[tuple[str, str]]]:
    """Each article's search vector as (word, weight) pairs (positions depend on the order texts are joined)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.titre, u.lexeme, w FROM panorama_articlepresse a, unnest(a.recherche) u, unnest(u.weights) w"
        )
        vectors: dict[str, set[tuple[str, str]]] = {}
        for titre, lexeme, weight in cursor.fetchall():
            vectors.setdefault(titre, set()).add((lexeme, weight))
    return vectors


@pytest.mark.parametrize("batch", [1000, 1], ids=["one batch", "a batch per entry, written by a thread"])
def test_ingestion_writes_the_same_search_vector_as_a_full_index_refresh(villes, regles, batch, monkeypatch):
    """The vector ingestion computes from the texts it holds (title, towns, themes, every appearance's title
    and text, a story syndicated twice in one feed included) is the one the index would rebuild from the tables;
    also when the feed is written in batches by a writer thread, the second appearance in a later batch."""
    from panorama.services import bulk, ingestion

    monkeypatch.setattr(ingestion, "BATCH", batch)
    threads = []
    monkeypatch.setattr(bulk, "ThreadPoolExecutor", lambda *a, **k: threads.append(1) or ThreadPoolExecutor(*a, **k))
    entries = [
        {
            "title": "Blois : la halle rouvre après travaux",
            "link": "https://nr.example/blois-halle",
            "id": "a",
            "summary": "Les commerçants de Vendôme et de Blois saluent la réhabilitation.",
        },
        {
            "title": "Blois : la halle rouvre après travaux",
            "link": "https://autre.example/blois-halle",
            "id": "b",
            "summary": "Copropriété dégradée, OPAH-RU prolongée.",
        },
        {"title": "Football : victoire à domicile", "link": "https://nr.example/foot", "id": "c", "summary": ""},
    ]
    report = services.ingest_entries(source=SourceFactory(departements="41"), entries=entries)
    assert (report.created, report.merged) == (2, 1)
    assert len(threads) == (batch == 1)
    halle = ArticlePresse.objects.get(titre__startswith="Blois")
    assert sorted(v.nom for v in halle.villes.all()) == ["Blois", "Vendôme"]
    assert "habitat" in {t.slug for t in halle.themes.all()}  # « OPAH-RU », in the second appearance
    assert halle.parutions.count() == 2
    written = _lexemes()
    assert ("vendom", "B") in written["Blois : la halle rouvre après travaux"]  # a town's name, weight B
    assert ("copropriet", "D") in written["Blois : la halle rouvre après travaux"]  # the second appearance's text
    index_refresh(ARTICLE, ArticlePresse.objects.values_list("pk", flat=True))
    assert _lexemes() == written


def _sql_pairs(texts: list[str]) -> list[str]:
    """The pairs PostgreSQL's own function derives from the row's vector (texts weighted A to D)."""
    from django.db import connection

    weighted = " || ".join(f"setweight(to_tsvector('public.french_unaccent', %s), '{w}')" for w in "ABCD")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT public.recherche_paires_liste({weighted})", texts)  # noqa: S608 (weights are ours)
        return sorted(cursor.fetchone()[0])


def _python_pairs(texts: list[str]) -> list[str] | None:
    from django.db import connection

    from panorama import paires

    words = paires.tokens(tuple(texts))
    if words is None:
        return None
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        paires.stems_learn(cursor, [words])
    made = paires.pairs(words)
    assert made is not paires.LATER
    return None if made is None else sorted(set(filter(None, made.split("\n"))))


def test_pairs_made_in_python_are_those_postgresql_makes_for_real_titles_and_random_texts(db):
    """Ingestion's pairs of neighbouring words (phrase search) equal the SQL function's, on every labelled
    title and on random texts of words, numbers and punctuation; what Python cannot be sure of is left to SQL."""
    import csv
    import random
    from pathlib import Path

    titles = []
    for name in ("titres_etiquetes.csv", "titres_etiquetes_reserve.csv"):
        with (Path(__file__).parent / name).open(encoding="utf-8") as handle:
            titles += [row["titre"] for row in csv.DictReader(handle)]
    rng = random.Random(11)
    alphabet = "abcdeéèêàçôœûïßÉÀŒXYZ"
    separators = [*" \xa0\u202f,;!?()«»\"“”'’–—….:-", " - "]
    unsure = ["/", "@", "_", "&", "%", "€", "<b>", "h", "..", ".a"]
    texts = []
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 12)):
            word = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7)))
            separator = rng.choice(separators) if rng.random() < 0.97 else rng.choice(unsure)
            parts += [word if rng.random() < 0.85 else str(rng.randint(0, 9999)), separator]
        texts.append("".join(parts))
    rows = [[title, "", title, ""] for title in titles]
    rows += [[text, "Blois", text[::-1], text.upper()] for text in texts]
    rows += [["Blois : la halle rouvre", "", "", "https://nr.example/a. Le 3,5 % à 10h30, l'OPAH-RU (2024)..."]]
    made = [_python_pairs(row) for row in rows]
    assert all(pairs is not None for pairs in made[: len(titles)])  # real titles take the fast path
    assert None in made  # links, decimals, times, « .. »: PostgreSQL decides
    assert 100 < sum(pairs is not None for pairs in made[len(titles) :]) < len(texts)
    for row, pairs in zip(rows, made, strict=True):
        if pairs is not None:
            assert pairs == _sql_pairs(row), row


@pytest.mark.parametrize("batch", [1000, 1], ids=["one batch", "a batch per entry, written by a thread"])
def test_ingestion_writes_the_whole_vector_pairs_included_as_a_full_index_refresh(villes, regles, batch, monkeypatch):
    """Pairs made in Python (plain text) or by PostgreSQL (a link, « 3,5 », « 10h30 » in the feed's text):
    the stored vector, pairs and positions included, is the one the index rebuilds; phrases are found."""
    from django.db import connection

    from panorama.services import ingestion

    monkeypatch.setattr(ingestion, "BATCH", batch)

    entries = [
        {
            "title": "Blois : la halle rouvre après travaux",
            "link": "https://nr.example/blois-halle",
            "id": "a",
            "summary": "Les commerçants saluent la réhabilitation du centre-ville, « enfin » !",
        },
        {
            "title": "Vendôme : 3,5 millions pour la gare",
            "link": "https://nr.example/vendome-gare",
            "id": "b",
            "summary": "Réunion à 10h30 ; détails sur https://vendome.example/gare.",
        },
    ]
    services.ingest_entries(source=SourceFactory(departements="41"), entries=entries)

    def vectors():
        with connection.cursor() as cursor:
            cursor.execute("SELECT titre, recherche::text FROM panorama_articlepresse ORDER BY titre")
            return cursor.fetchall()

    written = vectors()
    assert "'~centr vill'" in written[0][1]  # « centre-ville » by its parts, a pair made in Python
    index_refresh(ARTICLE, ArticlePresse.objects.values_list("pk", flat=True))
    assert vectors() == written
    ArticlePresse.objects.update(statut=ArticlePresse.Statut.RETENU)
    from panorama import selectors

    queryset = ArticlePresse.objects.all()
    found = selectors.articles_search(queryset=queryset, text='"halle rouvre"').queryset
    assert [a.titre for a in found] == ["Blois : la halle rouvre après travaux"]


def test_a_bulk_feed_is_found_by_its_phrases_tagged_with_its_towns_and_read_twice_adds_nothing(
    client, villes, regles, monkeypatch
):
    """A feed of 300 entries written in batches beside the tagging: staff find an entry by a phrase of its feed
    text (its pairs of words made in Python) and see it tagged with its town; reading the feed again adds nothing."""
    from panorama.services import ingestion

    monkeypatch.setattr(ingestion, "BATCH", 40)  # eight batches: the writer thread writes them
    import random

    rng = random.Random(5)
    syllables = ["ba", "lo", "ri", "ma", "tu", "ne", "so", "ga", "vi", "pe", "do", "ka"]
    vocabulary = sorted({"".join(rng.sample(syllables, 3)) for _ in range(400)})
    towns = ["Blois", "Vendôme", "Dreux", "Romorantin-Lanthenay"]
    titles = [f"{towns[i % 4]} : {' '.join(rng.sample(vocabulary, 6))}" for i in range(300)]
    entries = [
        {
            "title": titles[i],
            "link": f"https://nr.example/article-{i}",
            "id": f"article-{i}",
            "summary": f"Les habitants découvrent le projet {i}." + (" La halle gourmande rouvre." if i == 123 else ""),
        }
        for i in range(300)
    ]
    source = SourceFactory(departements="41;28")
    assert services.ingest_entries(source=source, entries=entries).created == 300
    ArticlePresse.objects.update(statut=ArticlePresse.Statut.RETENU)
    client.force_login(EquipeFactory())
    assert _titles(client, q='"halle gourmande"') == [titles[123]]
    assert not _titles(client, q='"gourmande halle"')  # a phrase, not two words anywhere
    article = ArticlePresse.objects.get(titre=titles[123])
    assert [v.nom for v in article.villes.all()] == ["Romorantin-Lanthenay"]
    again = services.ingest_entries(source=source, entries=entries)
    assert (again.created, again.known) == (0, 300)
    assert ArticlePresse.objects.count() == 300
    assert _titles(client, q='"halle gourmande"') == [titles[123]]
