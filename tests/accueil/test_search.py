"""The global search page: results, counts, facets, corrections, empty state, bad input, leaks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from reseau_acv.core.visibility import Visibilite
from ressources.models import Statut
from tests.accueil.conftest import make_question, make_ressource
from tests.core.test_recherche import HOSTILE

PARIS = ZoneInfo("Europe/Paris")
URL = "/recherche/"


def _page(client, **params):
    return client.get(URL, params)


@pytest.mark.django_db
def test_gibberish_finds_nothing_and_the_empty_state_helps(client, themes):
    """« xyzzy plugh » shows no result, and offers spelling advice, the thesaurus and browsing by theme."""
    make_ressource("Guide OPAH-RU", visibilite=Visibilite.PUBLIC)
    response = _page(client, q="xyzzy plugh")
    html = response.content.decode()
    assert response.context["page"].total == 0
    assert "Rien ne correspond" in html
    assert "EPF = établissement public foncier" in html or "ACV = Action Cœur de Ville" in html
    assert f"/ressources/?theme={themes['habitat'].slug}" in html


@pytest.mark.django_db
def test_a_question_no_document_holds_shows_the_closest_and_says_so(client):
    """« comment aider nos commerçantes ? » holds no indexed word: the page shows the guide on
    commercial animation, found through the stem, and says no document holds every word."""
    make_ressource("Animation commerciale des centres-bourgs", visibilite=Visibilite.PUBLIC)
    make_ressource("Guide du stationnement", visibilite=Visibilite.PUBLIC)
    response = _page(client, q="comment aider nos commerçantes ?")
    html = response.content.decode()
    assert [r.titre for r in response.context["page"].meilleurs] == ["Animation commerciale des centres-bourgs"]
    assert "Aucun document ne contient tous ces mots : voici les plus proches" in html
    gibberish = _page(client, q="xyzzy plugh").content.decode()
    assert "voici les plus proches" not in gibberish


@pytest.mark.django_db
def test_the_library_shows_the_closest_to_a_question_and_says_so(client):
    """The library answers « comment aider nos commerçantes ? » with the guide found through the
    stem, under the same notice."""
    make_ressource("Animation commerciale des centres-bourgs", visibilite=Visibilite.PUBLIC)
    make_ressource("Guide du stationnement", visibilite=Visibilite.PUBLIC)
    response = client.get("/ressources/", {"q": "comment aider nos commerçantes ?"})
    html = response.content.decode()
    assert [r.titre for r in response.context["ressources"]] == ["Animation commerciale des centres-bourgs"]
    assert "Aucun document ne contient tous ces mots : voici les plus proches" in html


@pytest.mark.django_db
def test_the_closest_results_mark_the_words_they_were_found_through(client):
    """On the global page and in the library, the excerpt of a result the relaxed query found
    through « commerciale » (for « commerçantes », never typed) marks that word, escaped."""
    make_ressource(
        "Animation des centres-bourgs",
        resume="<i>Un</i> programme d'animation commerciale annuel",
        visibilite=Visibilite.PUBLIC,
    )
    make_ressource("Guide du stationnement", visibilite=Visibilite.PUBLIC)
    for url in (URL, "/ressources/"):
        html = client.get(url, {"q": "comment aider nos commerçantes ?"}).content.decode()
        assert "voici les plus proches" in html
        assert "<mark>commerciale</mark>" in html, url
        assert "&lt;i&gt;Un&lt;/i&gt;" in html


@pytest.mark.django_db
def test_a_typo_shows_the_corrected_results(client):
    """« revitalistion » answers with the results for « revitalisation » and says so."""
    make_ressource("Revitalisation des centres-bourgs", visibilite=Visibilite.PUBLIC)
    response = _page(client, q="revitalistion")
    assert response.context["page"].corrigee == "revitalisation"
    assert [r.titre for r in response.context["page"].meilleurs] == ["Revitalisation des centres-bourgs"]
    assert "voici les résultats pour « <strong>revitalisation</strong> »" in response.content.decode()


@pytest.mark.django_db
def test_a_query_that_finds_little_offers_essayez_avec(client):
    """When a misspelt word finds one document, the page offers the corrected query that finds more."""
    make_ressource("Note de terrain", corps="La revitalistion du centre", visibilite=Visibilite.PUBLIC)
    make_ressource("Revitalisation du centre ancien", visibilite=Visibilite.PUBLIC)
    make_ressource("Revitalisation et commerce", visibilite=Visibilite.PUBLIC)
    response = _page(client, q="revitalistion")
    assert response.context["page"].suggestion == "revitalisation"
    assert "Essayez avec" in response.content.decode()
    assert "?q=revitalisation" in response.content.decode()


@pytest.mark.django_db
def test_excerpts_are_highlighted_and_escaped(client):
    """The excerpt marks the matched words and never lets the text's HTML through."""
    make_ressource(
        "Fiche", resume="<script>alert(1)</script> La réhabilitation des immeubles.", visibilite=Visibilite.PUBLIC
    )
    html = _page(client, q="rehabilitation").content.decode()
    assert "<mark>réhabilitation</mark>" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.django_db
def test_facets_count_by_kind_theme_and_year_and_keep_the_query(client, themes):
    """Facets give true counts, and their links keep the query; a theme narrows the results."""
    make_ressource(
        "Friche et habitat",
        themes=[themes["habitat"]],
        visibilite=Visibilite.PUBLIC,
        publie_le=datetime(2022, 3, 1, tzinfo=PARIS),
    )
    make_ressource(
        "Friche commerciale",
        themes=[themes["commerce"]],
        visibilite=Visibilite.PUBLIC,
        publie_le=datetime(2023, 3, 1, tzinfo=PARIS),
    )
    make_question("Une friche à racheter ?", visibilite=Visibilite.PUBLIC, themes=[themes["commerce"]])
    response = _page(client, q="friche")
    facets = {
        name: {f["facette"].valeur: f["facette"].nombre for f in items}
        for name, items in response.context["facettes"].items()
    }
    assert facets["type"] == {"ressources": 2, "questions": 1}
    assert facets["theme"] == {"habitat": 1, "commerce": 2}
    assert facets["annee"]["2022"] == 1
    link = next(f["url"] for f in response.context["facettes"]["theme"] if f["facette"].valeur == "habitat")
    assert "q=friche" in link
    narrowed = client.get(URL + link)
    assert [r.titre for r in narrowed.context["page"].meilleurs] == ["Friche et habitat"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonyme", 1), ("partenaire", 2), ("chef_de_projet", 3), ("equipe", 5)],
)
def test_counts_and_facets_never_reveal_hidden_content(client_for, themes, role, expected):
    """Totals and theme counts only count what the visitor may see, for every role."""
    for level in (Visibilite.PUBLIC, Visibilite.PARTENAIRES, Visibilite.RESEAU, Visibilite.EQUIPE):
        make_ressource(f"Friche {level}", visibilite=level, themes=[themes["habitat"]])
    make_ressource(
        "Friche brouillon", visibilite=Visibilite.PUBLIC, statut=Statut.BROUILLON, themes=[themes["habitat"]]
    )
    response = client_for(role).get(URL, {"q": "friche"})
    page = response.context["page"]
    assert page.total == expected
    theme_counts = {f["facette"].valeur: f["facette"].nombre for f in response.context["facettes"]["theme"]}
    assert theme_counts == {"habitat": expected}


@pytest.mark.django_db
def test_voir_les_resultats_leads_to_a_paginated_list_sortable_by_date(client):
    """« Voir les 25 résultats » opens the kind's list: 20 per page, relevance first or newest first."""
    for n in range(25):
        make_ressource(
            f"Friche {n:02d}", visibilite=Visibilite.PUBLIC, publie_le=datetime(2020 + n % 5, 1, 1 + n, tzinfo=PARIS)
        )
    response = _page(client, q="friche")
    assert "Voir les 25 résultats (ressources)" in response.content.decode()
    first = _page(client, q="friche", type="ressources")
    assert len(first.context["resultats"]) == 20
    second = _page(client, q="friche", type="ressources", page=2)
    assert len(second.context["resultats"]) == 5
    newest = _page(client, q="friche", type="ressources", tri="date").context["resultats"]
    assert [r.date.year for r in newest[:5]] == [2024] * 5


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(
    "params", [{}, {"type": "ressources"}, {"type": "presse", "annee": "abcd", "theme": "x" * 500}]
)
def test_bad_input_gives_a_clear_page_not_an_error(client, text, params):
    """NUL bytes, 10,000 characters, operators, lone quotes or nothing: a page, never a 500."""
    make_ressource("Friche commerciale", visibilite=Visibilite.PUBLIC)
    expected = 400 if "\x00" in text else 200  # NUL bytes are refused for the whole site, in a clear page
    response = _page(client, q=text, **params)
    assert response.status_code == expected
    library = client.get("/ressources/", {"q": text})
    assert library.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonyme", "partenaire", "chef_de_projet"])
def test_only_staff_reach_the_thesaurus_page(client_for, role):
    """The thesaurus page answers « not found » to anyone but staff (anonymous: to the login)."""
    response = client_for(role).get(reverse("accueil:thesaurus"))
    assert response.status_code in (302, 404)
    if role != "anonyme":
        assert response.status_code == 404


@pytest.mark.django_db
def test_staff_preview_then_save_a_thesaurus_entry_and_search_uses_it(client, equipe):
    """The preview shows what a query finds with the entry; once saved, the search finds the synonym."""
    make_ressource("Les maisons à pans de bois", visibilite=Visibilite.PUBLIC)
    client.force_login(equipe)
    assert _page(client, q="colombages").context["page"].total == 0
    data = {"expressions": "colombages\nmaisons à pans de bois", "actif": "on", "essai": "colombages"}
    preview = client.post(reverse("accueil:thesaurus"), {**data, "action": "apercu"})
    assert preview.context["preview"]["avant"].total == 0
    assert [r.titre for r in preview.context["preview"]["apres"].meilleurs] == ["Les maisons à pans de bois"]
    assert _page(client, q="colombages").context["page"].total == 0  # nothing saved by a preview
    saved = client.post(reverse("accueil:thesaurus"), {**data, "action": "enregistrer"})
    assert saved.status_code == 302
    assert [r.titre for r in _page(client, q="colombages").context["page"].meilleurs] == ["Les maisons à pans de bois"]


@pytest.mark.django_db
def test_the_preview_lists_each_expression_looked_for_once(client, equipe):
    """Trying « pans de bois » lists the entry's expressions, each once, with no stem beginning
    nor dangling separator."""
    client.force_login(equipe)
    data = {"expressions": "colombages\nmaisons à pans de bois\npans de bois", "actif": "on", "essai": "pans de bois"}
    html = client.post(reverse("accueil:thesaurus"), {**data, "action": "apercu"}).content.decode()
    assert '<span class="badge">colombages | maisons a pans de bois | pans de bois</span>' in html


@pytest.mark.django_db
def test_a_thesaurus_entry_needs_two_expressions(client, equipe):
    """One expression alone is refused with a clear message, and nothing is saved."""
    from reseau_acv.core.models import EntreeThesaurus

    client.force_login(equipe)
    before = EntreeThesaurus.objects.count()
    response = client.post(
        reverse("accueil:thesaurus"), {"expressions": "colombages", "actif": "on", "action": "enregistrer"}
    )
    assert "au moins deux expressions" in response.content.decode()
    assert EntreeThesaurus.objects.count() == before
