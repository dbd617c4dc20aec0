import pytest

from reseau_acv.core.recherche import excerpt, index_refresh
from ressources import services
from ressources.recherche import RETOUR
from tests.factories.comptes import EquipeFactory
from tests.factories.villes import ProgrammeFactory, VilleFactory


@pytest.fixture
def publish(db):
    staff = EquipeFactory()

    def build(titre, *, resume="", corps="", type="guide", visibilite="reseau", **extra):
        return services.ressource_create(
            actor=staff,
            data={
                "titre": titre,
                "resume": resume,
                "corps": corps,
                "type": type,
                "visibilite": visibilite,
                "lien": "https://www.example.org/",
                **{k: v for k, v in extra.items() if k in {"programme", "date_document"}},
            },
            villes=extra.get("villes", ()),
        )

    return build


def titles(client, **params):
    response = client.get("/ressources/", params)
    return [r.titre for r in response.context["ressources"]]


@pytest.mark.django_db
def test_stemming_and_accents_are_ignored(client, equipe, publish):
    """ "rehabilitation" finds "réhabilitation" and "commerces fermes" finds "commerce fermé"."""
    publish("Réhabilitation des logements anciens", resume="Une OPAH-RU en centre ancien.")
    publish("Soutien au commerce fermé pendant le confinement")
    publish("Plan de mobilité douce")
    client.force_login(equipe)
    assert titles(client, q="rehabilitation") == ["Réhabilitation des logements anciens"]
    assert titles(client, q="commerces fermes") == ["Soutien au commerce fermé pendant le confinement"]
    assert titles(client, q="LOGEMENT") == ["Réhabilitation des logements anciens"]


@pytest.mark.django_db
def test_title_matches_rank_above_body_matches(client, equipe, publish):
    """A resource with the words in its title comes before one that only mentions them in its body."""
    publish("Guide de l'urbanisme commercial", corps="Rien sur le sujet, sauf une ligne sur la vacance.")
    publish("Vacance commerciale : diagnostic", resume="Mesurer la vacance commerciale en centre-ville.")
    client.force_login(equipe)
    assert titles(client, q="vacance")[0] == "Vacance commerciale : diagnostic"


@pytest.mark.django_db
def test_results_carry_a_highlighted_and_escaped_excerpt(client, equipe, publish):
    """The excerpt marks the matched words and never lets the body's HTML through."""
    publish("Fiche", resume="<script>alert(1)</script> La réhabilitation des immeubles vacants.")
    client.force_login(equipe)
    html = client.get("/ressources/", {"q": "rehabilitation"}).content.decode()
    assert "<mark>réhabilitation</mark>" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.django_db
def test_filters_combine_with_the_query(client, equipe, publish):
    """Type, programme, town and year filters narrow a full-text query."""
    pvd = ProgrammeFactory(code="pvd", nom="Petites villes de demain", sigle="PVD")
    blois = VilleFactory(nom="Blois", slug="blois", reseau_regional=True)
    publish("Délibération OPAH-RU de Blois", type="deliberation", villes=[blois], date_document="2021-03-01")
    publish("Guide OPAH-RU", type="guide", programme=pvd, date_document="2020-06-01")
    publish("Guide des terrasses", type="guide")
    client.force_login(equipe)
    assert titles(client, q="opah", type="guide") == ["Guide OPAH-RU"]
    assert titles(client, q="opah", ville="blois") == ["Délibération OPAH-RU de Blois"]
    assert titles(client, q="opah", programme="pvd") == ["Guide OPAH-RU"]
    assert titles(client, q="opah", annee="2021") == ["Délibération OPAH-RU de Blois"]
    assert titles(client, q="guide", tri="titre") == ["Guide des terrasses", "Guide OPAH-RU"]


@pytest.mark.django_db
def test_visibility_filter_is_for_staff_only(client, chef, equipe, publish):
    """Staff can filter by visibility; for a lead the parameter does nothing."""
    publish("Note publique", visibilite="public")
    publish("Note réseau", visibilite="reseau")
    client.force_login(equipe)
    assert titles(client, visibilite="public") == ["Note publique"]
    client.force_login(chef)
    assert sorted(titles(client, visibilite="public")) == ["Note publique", "Note réseau"]


@pytest.mark.django_db
def test_search_also_finds_experience_sheets(client, equipe):
    """The library search lists the experience sheets whose difficulty or levers match."""
    from tests.factories.ressources import RetourExperienceFactory

    retour = RetourExperienceFactory(titre="Chinon", difficulte="Des propriétaires bailleurs injoignables.")
    index_refresh(RETOUR, [retour.pk])
    client.force_login(equipe)
    response = client.get("/ressources/", {"q": "proprietaire"})
    assert [r.titre for r in response.context["retours"]] == ["Chinon"]


def test_excerpts_show_text_not_markdown_syntax():
    """Search excerpts show the body's words, without Markdown headings, bullets or emphasis."""
    html = excerpt("## Points clés\n- un volet **copropriétés** ; *fort*", None)
    assert "#" not in html
    assert "*" not in html
    assert "Points clés un volet copropriétés ; fort" in html
