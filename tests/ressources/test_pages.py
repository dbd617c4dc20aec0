import pytest
from django.urls import reverse

from ressources import services
from ressources.models import Question
from tests.conftest import ROLES
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory
from tests.factories.ressources import MessageFactory, QuestionFactory, RessourceFactory, RetourExperienceFactory
from tests.factories.villes import VilleFactory

from .conftest import PDF

# Queries of a signed-in lead: session, user, then the page's own (count, page, themes, towns,
# and the choices of the filter form: themes, towns, programmes).
LIBRARY_QUERIES = 8
# The search adds the lookup of the chosen town and the matching experience sheets; on
# PostgreSQL each of the two searches also sends its planner settings with the query's tsqueries
# and restores them in the test's transaction; the ranked page is not counted again.
SEARCH_QUERIES = 18


def _resources(n: int, ville, themes):
    staff = EquipeFactory()
    for i in range(n):
        ressource = services.ressource_create(
            actor=staff,
            data={"titre": f"Réhabilitation {i}", "type": "guide", "lien": "https://example.org", "resume": "OPAH-RU"},
            villes=[ville],
        )
        ressource.themes.set(themes[:2])


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 8])
def test_library_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, n, themes):
    """The library page runs the same queries for 1 and for 8 resources."""
    _resources(n, VilleFactory(), themes)
    client.force_login(ChefDeProjetFactory())
    with django_assert_num_queries(LIBRARY_QUERIES):
        response = client.get("/ressources/")
    assert len(response.context["ressources"]) == n


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 8])
def test_search_results_run_a_constant_number_of_queries(client, django_assert_num_queries, n, themes):
    """A search with filters runs the same queries for 1 and for 8 results."""
    ville = VilleFactory(slug="blois", nom="Blois", reseau_regional=True)
    _resources(n, ville, themes)
    client.force_login(ChefDeProjetFactory())
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/ressources/", {"q": "rehabilitation", "ville": "blois", "type": "guide"})
    assert len(response.context["ressources"]) == n


PAGES = {
    "/ressources/": {"anonyme": 200, "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/ressources/proposer/": {"anonyme": "login", "partenaire": 404, "chef_de_projet": 200, "equipe": 200},
    "/ressources/retours/": {"anonyme": 200, "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/ressources/retours/proposer/": {"anonyme": "login", "partenaire": 404, "chef_de_projet": 200, "equipe": 200},
    "/ressources/retours/retour-test/": {"anonyme": 404, "partenaire": 404, "chef_de_projet": 200, "equipe": 200},
    "/ressources/questions/": {"anonyme": 200, "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
    "/ressources/questions/poser/": {"anonyme": "login", "partenaire": 404, "chef_de_projet": 200, "equipe": 200},
    "/ressources/questions/question-test/": {"anonyme": 404, "partenaire": 404, "chef_de_projet": 200, "equipe": 200},
    "/ressources/questions/question-partenaires/": {
        "anonyme": 404,
        "partenaire": 200,
        "chef_de_projet": 200,
        "equipe": 200,
    },
    "/ressources/moderation/": {"anonyme": "login", "partenaire": 404, "chef_de_projet": 404, "equipe": 200},
    "/ressources/nexiste-pas/": {"anonyme": 404, "partenaire": 404, "chef_de_projet": 404, "equipe": 404},
    "/ressources/flux.atom": {"anonyme": 200, "partenaire": 200, "chef_de_projet": 200, "equipe": 200},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_answers_as_expected_for_every_role(client_for, role, path):
    """Each page answers each role as expected; what is not allowed looks like what does not exist."""
    RetourExperienceFactory(slug="retour-test", visibilite="reseau")
    QuestionFactory(slug="question-test", visibilite="reseau")
    QuestionFactory(slug="question-partenaires", visibilite="partenaires")
    response = client_for(role).get(path)
    expected = PAGES[path][role]
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.django_db
def test_a_new_file_keeps_the_earlier_versions(client, chef, upload):
    """Uploading a new file adds a version; the page lists every version with its date and each downloads."""
    ressource = services.ressource_create(
        actor=chef, data={"titre": "Étude pré-opérationnelle", "type": "etude"}, fichier=upload("v1.pdf", PDF)
    )
    services.ressource_update(
        actor=chef, ressource=ressource, data={}, fichier=upload("v2.pdf", PDF + b"% version 2\n")
    )
    assert list(ressource.versions.values_list("numero", "nom")) == [(2, "v2.pdf"), (1, "v1.pdf")]
    client.force_login(chef)
    page = client.get(ressource.get_absolute_url()).content.decode()
    assert "Versions du fichier" in page
    assert "v1.pdf" in page
    assert "v2.pdf" in page
    assert b"".join(client.get(f"/ressources/{ressource.slug}/versions/1/").streaming_content) == PDF
    assert b"version 2" in b"".join(client.get(f"/ressources/{ressource.slug}/fichier/").streaming_content)


@pytest.mark.django_db
def test_proposal_form_creates_a_proposal_with_its_file(client, chef, upload, themes):
    """A lead fills the form with a file: the resource waits for moderation and the lead is told."""
    ville = VilleFactory()
    client.force_login(chef)
    response = client.post(
        "/ressources/proposer/",
        {
            "titre": "Délibération OPAH-RU",
            "type": "deliberation",
            "visibilite": "reseau",
            "villes": [ville.code_insee],
            "themes": [themes[0].pk],
            "fichier": upload("deliberation.pdf", PDF),
            "action": "proposer",
        },
        follow=True,
    )
    assert "attend la validation" in response.content.decode()
    ressource = response.context["ressource"]
    assert ressource.statut == "propose"
    assert list(ressource.villes.all()) == [ville]
    assert ressource.versions.count() == 1


@pytest.mark.django_db
def test_experience_sheet_shows_other_towns_on_the_same_themes(client, chef, themes):
    """A sheet lists the sheets of other towns that share its themes, not those of its own town."""
    retour = RetourExperienceFactory(titre="Blois : OPAH-RU")
    same_town = RetourExperienceFactory(titre="Blois : autre", ville=retour.ville)
    elsewhere = RetourExperienceFactory(titre="Vierzon : OPAH-RU")
    unrelated = RetourExperienceFactory(titre="Dreux : mobilité")
    habitat, commerce, mobilite = themes
    for item, chosen in [
        (retour, [habitat]),
        (same_town, [habitat]),
        (elsewhere, [habitat, commerce]),
        (unrelated, [mobilite]),
    ]:
        item.themes.set(chosen)
    client.force_login(chef)
    response = client.get(retour.get_absolute_url())
    assert [r.titre for r in response.context["similaires"]] == ["Vierzon : OPAH-RU"]


@pytest.mark.django_db
def test_experience_sheets_browse_by_difficulty_and_lever(client, chef):
    """The sheets can be filtered by the difficulty met and the lever used."""
    RetourExperienceFactory(titre="A", type_difficulte="financement", type_levier="partenariat")
    RetourExperienceFactory(titre="B", type_difficulte="crise_sanitaire", type_levier="numerique")
    client.force_login(chef)
    by_difficulty = client.get("/ressources/retours/", {"type_difficulte": "crise_sanitaire"})
    assert [r.titre for r in by_difficulty.context["retours"]] == ["B"]
    by_lever = client.get("/ressources/retours/", {"type_levier": "partenariat"})
    assert [r.titre for r in by_lever.context["retours"]] == ["A"]


@pytest.mark.django_db
def test_question_thread_answer_accept_pin_close(client, equipe):
    """Members answer; the author marks the answer that helped; staff pin and close the thread."""
    question = QuestionFactory(titre="Comment financer une OPAH-RU ?")
    helper = ChefDeProjetFactory()
    client.force_login(helper)
    client.post(
        f"/ressources/messages/question/{question.slug}/", {"corps": "Avec l'Anah et la Banque des Territoires."}
    )
    answer = question.messages.get()
    client.post(f"/ressources/questions/{question.slug}/reponse-retenue/", {"message": answer.pk})
    question.refresh_from_db()
    assert question.reponse_retenue is None  # only the author may choose
    client.force_login(question.auteur)
    client.post(f"/ressources/questions/{question.slug}/reponse-retenue/", {"message": answer.pk})
    question.refresh_from_db()
    assert question.reponse_retenue == answer
    client.force_login(equipe)
    client.post(f"/ressources/questions/{question.slug}/moderer/", {"action": "epingler"})
    client.post(f"/ressources/questions/{question.slug}/moderer/", {"action": "fermer"})
    question.refresh_from_db()
    assert question.epinglee
    assert question.fermee
    client.force_login(helper)
    response = client.post(f"/ressources/messages/question/{question.slug}/", {"corps": "Trop tard ?"})
    assert response.status_code == 404
    assert question.messages.count() == 1


@pytest.mark.django_db
def test_partner_cannot_answer_a_thread_they_cannot_see(client, partenaire):
    """Posting to a `reseau` thread as a partner answers 404 and writes nothing."""
    question = QuestionFactory(visibilite="reseau")
    client.force_login(partenaire)
    assert client.post(f"/ressources/messages/question/{question.slug}/", {"corps": "Bonjour"}).status_code == 404
    assert not question.messages.exists()


@pytest.mark.django_db
def test_comments_on_a_resource(client, chef):
    """Members comment a resource; hidden comments stay visible to their author only."""
    ressource = RessourceFactory()
    client.force_login(chef)
    client.post(f"/ressources/messages/ressource/{ressource.slug}/", {"corps": "Très utile, merci !"})
    assert "Très utile, merci !" in client.get(ressource.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_town_page_and_dashboard_show_latest_resources(client, chef):
    """The town page shows the latest resources of that town, the dashboard those of the network."""
    ville = VilleFactory(slug="bourges", nom="Bourges")
    ressource = RessourceFactory(titre="Charte des devantures de Bourges")
    ressource.villes.add(ville)
    RessourceFactory(titre="Note interne", visibilite="equipe").villes.add(ville)
    client.force_login(chef)
    page = client.get("/villes/bourges/").content.decode()
    assert "Charte des devantures de Bourges" in page
    assert "Note interne" not in page
    dashboard = client.get("/tableau-de-bord/").content.decode()
    assert "Charte des devantures de Bourges" in dashboard


@pytest.mark.django_db
def test_hidden_question_and_messages_are_gone_for_members(client, equipe):
    """A hidden question answers 404 to members; a hidden answer is not shown."""
    question = QuestionFactory()
    MessageFactory(question=question, corps="Réponse masquée", masque=True)
    services.contenu_hide(actor=equipe, obj=question, motif="Doublon")
    client.force_login(ChefDeProjetFactory())
    assert client.get(question.get_absolute_url()).status_code == 404
    assert Question.objects.visible_to(equipe).filter(pk=question.pk).exists()


# Session, user, the resource, its themes, its towns, its versions, its messages, whether the
# member marked it useful, which of its messages they marked, whether they follow it, the
# mentions of its comments.
DETAIL_QUERIES = 11
RETOUR_LIST_QUERIES = 6
QUESTION_LIST_QUERIES = 7


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 6])
def test_resource_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, n, upload, themes):
    """A resource page runs the same queries for 1 and 6 versions and comments."""
    staff = EquipeFactory()
    ressource = services.ressource_create(
        actor=staff, data={"titre": "Guide", "type": "guide"}, themes=themes, fichier=upload("v.pdf", PDF)
    )
    for i in range(n - 1):
        services.ressource_update(actor=staff, ressource=ressource, data={}, fichier=upload(f"v{i}.pdf", PDF))
    for _ in range(n):
        MessageFactory(question=None, ressource=ressource)
    client.force_login(ChefDeProjetFactory())
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(ressource.get_absolute_url())
    assert len(response.context["versions"]) == n
    assert len(response.context["messages_fil"]) == n


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 6])
def test_experience_sheets_and_questions_lists_run_constant_queries(client, django_assert_num_queries, n, themes):
    """The experience sheets and questions lists run the same queries for 1 and 6 items."""
    for _ in range(n):
        RetourExperienceFactory().themes.set(themes)
        question = QuestionFactory()
        question.themes.set(themes)
        MessageFactory(question=question)
    client.force_login(ChefDeProjetFactory())
    with django_assert_num_queries(RETOUR_LIST_QUERIES):
        retours = client.get("/ressources/retours/")
    with django_assert_num_queries(QUESTION_LIST_QUERIES):
        questions = client.get("/ressources/questions/")
    assert len(retours.context["retours"]) == n
    assert len(questions.context["questions"]) == n
