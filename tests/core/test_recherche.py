"""The search engine of core: the French parser, the thesaurus, typo tolerance, and ranking on
PostgreSQL and on SQLite (FTS5) alike."""

import pytest
from django.utils import timezone

from reseau_acv.core.recherche import (
    Recherche,
    choose,
    excerpt,
    excerpt_text,
    index_refresh,
    parse,
    parse_text,
    rechercher,
    search,
)
from reseau_acv.core.recherche.correction import suggest
from reseau_acv.core.recherche.thesaurus import Thesaurus
from ressources.models import Ressource, Statut
from ressources.recherche import RESSOURCE

BOTH = ["default", "sqlite"]
HOSTILE = [
    "\x00\x00 friche\x00",
    "friche " * 1500,
    "!!! ??? ... ;;; ---",
    "a & b | !c ( ) : * <-> '",
    "friche:* & !(commerce | 'x')",
    '"vacance commerciale',
    '" "',
    "",
    "   ",
    "-",
    "-friche",
    "\\ ' \" ;",
]


def test_parser_folds_accents_drops_stop_words_and_keeps_phrases():
    """« Réhabilitation des logements » gives two concepts; quotes keep a phrase; -mot excludes."""
    requete = parse('Réhabilitation des "logements vacants" -hlm', thesaurus=None)
    assert [c.saisi for c in requete.concepts] == ["logements vacants", "rehabilitation"]
    assert requete.concepts[0].formes[0].mots == ("logements", "vacants")
    assert requete.exclus == ["hlm"]


def test_parser_takes_the_last_word_as_a_prefix_unless_the_query_ends_with_a_space():
    """« revital » also matches « revitalisation » while it is being typed."""
    assert any(f.prefixe for f in parse("revital", thesaurus=None).concepts[-1].formes)
    assert not any(f.prefixe for f in parse("revital ", thesaurus=None).concepts[-1].formes)


@pytest.mark.parametrize("text", HOSTILE)
def test_parser_treats_operators_and_junk_as_text(text):
    """NUL bytes, 10,000 characters, operators, lone quotes: parsed without error, within bounds."""
    requete = parse(text, thesaurus=None)
    assert len(requete.texte) <= 200
    assert "\x00" not in requete.texte
    for concept in requete.concepts:
        for forme in concept.formes:
            assert all(w.isalnum() for w in forme.mots)


def test_thesaurus_replaces_an_acronym_by_its_group_and_prefers_the_longest_expression():
    """« EPF » also looks for « établissement public foncier »; « boutique à l'essai » is one concept."""
    thesaurus = Thesaurus(
        [["EPF", "établissement public foncier"], ["boutique à l'essai", "commerce à l'essai"], ["boutique", "magasin"]]
    )
    epf = parse("EPF Gien", thesaurus=thesaurus).concepts[0]
    assert {f.texte for f in epf.formes} == {"epf", "etablissement public foncier"}
    essai = parse("boutique à l'essai", thesaurus=thesaurus).concepts
    assert len(essai) == 1
    assert essai[0].du_thesaurus


def _ressource(using, titre, resume="", corps="", visibilite="public", statut=Statut.PUBLIE):
    obj = Ressource.objects.using(using).create(
        titre=titre,
        slug=f"r-{Ressource.objects.using(using).count()}-{abs(hash(titre)) % 10**8}",
        resume=resume,
        corps=corps,
        lien="https://example.org/",
        visibilite=visibilite,
        statut=statut,
        publie_le=timezone.now(),
    )
    index_refresh(RESSOURCE, [obj.pk], using=using)
    return obj


def _titles(using, text, **kwargs):
    queryset = Ressource.objects.using(using).all()
    found = search(queryset, RESSOURCE, parse_text(text), **kwargs)
    by_pk = dict(queryset.values_list("pk", "titre"))
    return [by_pk[pk] for pk in found.ids]


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_documents_holding_all_words_come_first_then_those_holding_most(using):
    """A natural question still finds the documents that hold most of its words, best first."""
    _ressource(using, "Observatoire des commerces fermés", resume="Relevé des rez-de-chaussée vides du centre-ville")
    _ressource(using, "Commerce de centre-ville", resume="Animation commerciale")
    _ressource(using, "Guide du stationnement")
    titles = _titles(using, "que faire des commerces fermés du centre-ville")
    assert titles[0] == "Observatoire des commerces fermés"
    assert "Commerce de centre-ville" in titles
    assert "Guide du stationnement" not in titles


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_a_rare_word_of_a_question_counts_more_than_its_common_words(using):
    """In « faire revenir les médecins en centre-ville », the one guide about doctors comes first,
    ahead of the many that only share « centre » and « ville » with the question."""
    for i in range(6):
        _ressource(using, f"Animer le centre-ville {i}", resume="Commerces du centre de la ville")
    _ressource(using, "Maison de santé en cœur de ville", resume="Attirer des médecins généralistes")
    titles = _titles(using, "comment faire revenir les médecins en centre-ville")
    assert titles[0] == "Maison de santé en cœur de ville"
    assert not any(title.startswith("Animer") for title in titles)


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_accents_inflections_acronyms_and_exclusion_on_both_backends(using):
    """« rehabilitation logement » finds « Réhabilitation des logements »; EPF finds its expansion; -mot excludes."""
    _ressource(using, "Réhabilitation des logements anciens")
    _ressource(using, "Établissement public foncier : le portage")
    _ressource(using, "Friches commerciales", resume="taxe")
    _ressource(using, "Friches industrielles")
    assert _titles(using, "rehabilitation logement") == ["Réhabilitation des logements anciens"]
    assert _titles(using, "EPF") == ["Établissement public foncier : le portage"]
    assert _titles(using, "friches -commerciales") == ["Friches industrielles"]


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_title_outweighs_body_and_sort_by_date_is_on_demand(using):
    """A word in the title ranks above the same word in the body; « date » sorts newest first."""
    old = _ressource(using, "Vacance commerciale : diagnostic")
    _ressource(using, "Guide général", corps="Une ligne sur la vacance commerciale.")
    Ressource.objects.using(using).filter(pk=old.pk).update(publie_le=timezone.now() - timezone.timedelta(days=900))
    assert _titles(using, "vacance commerciale")[0] == "Vacance commerciale : diagnostic"
    assert _titles(using, "vacance commerciale", sort="date")[0] == "Guide général"


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_fail_on_either_backend(using, text):
    """Operators, NUL bytes, long or empty queries answer (maybe nothing), never an error."""
    _ressource(using, "Friche commerciale")
    found = rechercher(Ressource.objects.using(using).all(), RESSOURCE, text)
    assert isinstance(found, Recherche)
    assert found.total <= 1


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_a_question_whose_words_are_in_no_document_finds_the_closest_through_their_stems(using):
    """« comment aider nos commerçantes ? » holds no indexed word (« commerçantes » is not
    « commerciale »): the relaxed query finds the guide through the stem « commerc » and says so;
    a document of nothing it asks stays out; gibberish still finds nothing."""
    _ressource(using, "Animation commerciale des centres-bourgs", resume="Un programme annuel")
    _ressource(using, "Guide du stationnement", resume="Tarifs et zones bleues")
    queryset = Ressource.objects.using(using).all()
    assert search(queryset, RESSOURCE, parse_text("comment aider nos commerçantes ?")).total == 0
    assert (
        rechercher(queryset, RESSOURCE, "comment aider nos commerçantes ?").total == 0
    )  # a list that would not say so
    found = rechercher(queryset, RESSOURCE, "comment aider nos commerçantes ?", elargir=True)
    assert found.requete.elargie
    assert [queryset.get(pk=pk).titre for pk in found.resultats.ids] == ["Animation commerciale des centres-bourgs"]
    gibberish = rechercher(queryset, RESSOURCE, "comment xyzzy nos plugh ?", elargir=True)
    assert gibberish.total == 0


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_a_word_of_a_thesaurus_expression_reaches_its_group_when_nothing_holds_the_query(using):
    """« fraîcheur » alone is not the expression « îlot de fraîcheur », yet when no document holds
    the question's words it reaches that group, and so « végétalisation »."""
    _ressource(using, "Végétalisation des places", resume="Planter pour ombrager")
    _ressource(using, "Guide du stationnement", resume="Tarifs et zones bleues")
    queryset = Ressource.objects.using(using).all()
    groups = Thesaurus([["îlot de fraîcheur", "végétalisation"], ["stationnement", "parking"]])

    def run(requete):
        found = search(queryset, RESSOURCE, requete)
        return found.total, found.complets, found

    requete, found, _corrigee, _suggestion = choose(
        "comment garder la fraîcheur", run, using=using, with_thesaurus=groups, elargir=True
    )
    assert requete.elargie
    assert [queryset.get(pk=pk).titre for pk in found.ids] == ["Végétalisation des places"]


def _excerpt_of(using, found, titre):
    obj = Ressource.objects.using(using).get(titre=titre)
    return excerpt(excerpt_text(obj, RESSOURCE), found.requete)


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_the_excerpt_of_a_relaxed_result_marks_the_word_it_was_found_through(using):
    """« commerçantes » is in no document: the guide found through the stem « commerc » shows
    « commerciale » marked in its excerpt, escaped, though it was never typed."""
    _ressource(using, "Animation des centres-bourgs", resume="<b>Un</b> programme d'animation commerciale annuel")
    found = rechercher(
        Ressource.objects.using(using).all(), RESSOURCE, "comment aider nos commerçantes ?", elargir=True
    )
    assert found.requete.elargie
    html = _excerpt_of(using, found, "Animation des centres-bourgs")
    assert "<mark>commerciale</mark>" in html
    assert "&lt;b&gt;Un&lt;/b&gt;" in html


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_the_excerpt_marks_the_thesaurus_word_a_relaxed_query_reached(using):
    """« fraîcheur » reached the group of « îlot de fraîcheur »: the excerpt of the guide found
    through « végétalisation » marks that word."""
    _ressource(using, "Places et jardins", resume="La végétalisation des places ombrage les terrasses")
    queryset = Ressource.objects.using(using).all()
    groups = Thesaurus([["îlot de fraîcheur", "végétalisation"], ["stationnement", "parking"]])

    def run(requete):
        found = search(queryset, RESSOURCE, requete)
        return found.total, found.complets, found

    requete, _found, _corrigee, _suggestion = choose(
        "comment garder la fraîcheur", run, using=using, with_thesaurus=groups, elargir=True
    )
    html = excerpt(excerpt_text(queryset.get(), RESSOURCE), requete)
    assert "<mark>végétalisation</mark>" in html


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_the_excerpt_of_a_corrected_query_marks_the_corrected_word(using):
    """« revitalistion » shows the results for « revitalisation », and their excerpts mark it."""
    _ressource(using, "Guide des bourgs", resume="La revitalisation des centres-bourgs, pas à pas")
    found = rechercher(Ressource.objects.using(using).all(), RESSOURCE, "revitalistion")
    assert found.corrigee == "revitalisation"
    assert "<mark>revitalisation</mark>" in _excerpt_of(using, found, "Guide des bourgs")


def test_a_thesaurus_phrase_is_marked_where_its_words_follow_each_other_only():
    """« EPF » marks « établissement public foncier » as a whole, never « public » or « foncier » alone."""
    requete = parse("EPF", thesaurus=Thesaurus([["EPF", "établissement public foncier"]]))
    html = excerpt("Un établissement public foncier achète ; le public paie le foncier.", requete)
    assert "<mark>établissement</mark> <mark>public</mark> <mark>foncier</mark> achète" in html
    assert "le public paie le foncier" in html


def test_the_excerpt_is_the_passage_holding_most_of_the_query():
    """The window holds the passage where both words meet, not the first mention of one of them."""
    text = (
        "Le commerce compte. "
        + "Un mot sans rapport. " * 20
        + "Le commerce et le stationnement se parlent. "
        + ("Fin du texte. " * 10)
    )
    html = excerpt(text, parse("commerce stationnement "))
    assert html.startswith("… ")
    assert "<mark>commerce</mark> et le <mark>stationnement</mark>" in html


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_a_typo_is_corrected_from_the_indexed_vocabulary_and_gibberish_is_not(using):
    """« revitalistion » becomes « revitalisation » and finds the guide; « xyzzy plugh » finds nothing."""
    _ressource(using, "Revitalisation des centres-bourgs")
    assert suggest("revitalistion", using=using) == "revitalisation"
    found = rechercher(Ressource.objects.using(using).all(), RESSOURCE, "revitalistion")
    assert found.corrigee == "revitalisation"
    assert found.total == 1
    gibberish = rechercher(Ressource.objects.using(using).all(), RESSOURCE, "xyzzy plugh")
    assert gibberish.total == 0
    assert gibberish.corrigee is None


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_a_correction_never_reveals_a_word_only_hidden_content_holds(using):
    """A word known only from a draft the visitor cannot see is never suggested to them."""
    _ressource(using, "Projet confidentiel zanzibarite", statut=Statut.BROUILLON)
    visible = Ressource.objects.using(using).filter(statut=Statut.PUBLIE)
    found = rechercher(visible, RESSOURCE, "zanzibarte")
    assert found.corrigee is None
    assert found.suggestion is None


@pytest.mark.django_db
def test_a_correction_no_visible_document_holds_whole_is_not_searched():
    """« revitalistion stationement »: both words are corrected, but no visible document holds
    both corrected words — the correction is not searched (one pass fewer of every kind), and the
    page shows what it would have shown. When a visible document holds both, it is searched and shown."""
    from reseau_acv.core.recherche import holds_every

    _ressource("default", "Revitalisation des centres-bourgs")
    _ressource("default", "Guide du stationnement")
    _ressource("default", "Revitalisation et stationnement", statut=Statut.BROUILLON)  # hidden from visitors
    visible = Ressource.objects.filter(statut=Statut.PUBLIE)
    assert not holds_every(visible, RESSOURCE, parse_text("revitalisation stationnement"))
    assert holds_every(Ressource.objects.all(), RESSOURCE, parse_text("revitalisation stationnement"))
    passes = []

    def run(requete):
        passes.append(requete.texte)
        found = search(visible, RESSOURCE, requete)
        return found.total, found.complets, found

    probe = lambda requete: holds_every(visible, RESSOURCE, requete)  # noqa: E731 (the page's probe)
    _requete, _found, corrigee, suggestion = choose("revitalistion stationement", run, using="default", complet=probe)
    assert passes == ["revitalistion stationement"]
    assert (corrigee, suggestion) == (None, None)
    _ressource("default", "Revitalisation et stationnement en centre-bourg")
    passes.clear()
    _requete, _found, corrigee, _suggestion = choose("revitalistion stationement", run, using="default", complet=probe)
    assert passes == ["revitalistion stationement", "revitalisation stationnement"]
    assert corrigee == "revitalisation stationnement"


def test_folding_looks_only_at_unusual_characters_and_folds_as_before():
    """The fast fold (plain ASCII left to C) gives what the character-by-character definition gives."""
    import random
    import unicodedata

    from reseau_acv.core.recherche.texte import LIGATURES, fold

    def reference(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES).lower())
        return "".join(c for c in decomposed if not unicodedata.combining(c) and (c.isprintable() or c.isspace()))

    samples = [
        "Réhabilitation à Châteauroux : l’été des Œuvres, Noël, ﬁn, Straße",
        "tab\there, line\nfeed\r, nul\x00, bell\x07, escape\x1b, unit\x1f, del\x7f, nbsp\xa0, narrow\u202f",
        "emoji 🚲, grec Ωμέγα, cyrillique Ёж, arabe مرحبا, zéro-largeur\u200b, combinant e\u0301",
    ]
    rng = random.Random(5)
    alphabet = [chr(c) for c in (*range(0, 0x250), *range(0x300, 0x370), 0x2019, 0x202F, 0x1F6B2, 0xFB01)]
    samples += ["".join(rng.choices(alphabet, k=200)) for _ in range(200)]
    for text in samples:
        assert fold(text) == reference(text)
    assert fold("Réhabilitation à Châteauroux, Œuvre") == "rehabilitation a chateauroux, oeuvre"


def test_starting_thesaurus_joins_trade_synonyms_and_acronyms():
    """« cellules vides » also looks for « vacance commerciale »; « tiers-lieu » for « coworking »; EPCI for its expansion."""
    from reseau_acv.core.recherche.initial import THESAURUS
    from reseau_acv.core.recherche.thesaurus import split_expressions

    thesaurus = Thesaurus([split_expressions(line) for line in THESAURUS])
    assert "vacance commerciale" in thesaurus.group_of("cellules vides")
    assert "espace de coworking" in thesaurus.group_of("tiers-lieux")
    assert "établissement public de coopération intercommunale" in thesaurus.group_of("EPCI")
    assert "pied d'immeuble" in thesaurus.group_of("rez-de-chaussée commercial")


@pytest.mark.django_db
def test_enrichment_migration_adds_new_groups_and_expressions_once_and_keeps_staff_entries():
    """A database seeded with the first 41 groups gets the new groups and the new expressions of
    its starting groups; an expression staff already added is not repeated; running twice adds nothing."""
    import importlib

    from django.apps import apps

    from reseau_acv.core.models import EntreeThesaurus
    from reseau_acv.core.recherche.initial import THESAURUS

    migration = importlib.import_module("reseau_acv.core.migrations.0008_thesaurus_enrichi")
    start = next(i for i, line in enumerate(THESAURUS) if line.startswith("EPCI ;"))
    added = {a for additions in migration.AJOUTS.values() for a in additions}
    EntreeThesaurus.objects.all().delete()
    for line in THESAURUS[:start]:
        kept = [e.strip() for e in line.split(";") if e.strip() not in added]
        EntreeThesaurus.objects.create(expressions="\n".join(kept))
    EntreeThesaurus.objects.create(expressions="coworking\nbureaux partagés")  # written by staff
    assert EntreeThesaurus.objects.count() == 42

    migration.forward(apps, None)
    count = EntreeThesaurus.objects.count()
    assert count == 42 + len(THESAURUS) - start
    vacance = EntreeThesaurus.objects.get(expressions__startswith="vacance commerciale")
    assert "commerces fermés" in vacance.liste
    tiers_lieu = EntreeThesaurus.objects.get(expressions__startswith="tiers-lieu")
    assert tiers_lieu.liste == ["tiers-lieu", "tiers-lieux", "espace de coworking"]

    migration.forward(apps, None)
    assert EntreeThesaurus.objects.count() == count
    assert EntreeThesaurus.objects.get(pk=vacance.pk).liste == vacance.liste


@pytest.mark.django_db
def test_broad_thesaurus_migration_adds_its_groups_and_expressions_once_and_keeps_staff_entries():
    """A database with the 80 groups of before gets the broad thesaurus: new expressions in its
    groups, the new groups; what staff already wrote is not repeated; running twice adds nothing."""
    import importlib

    from django.apps import apps

    from reseau_acv.core.models import EntreeThesaurus
    from reseau_acv.core.recherche.initial import AJOUTS_LARGES, NOUVEAUX_LARGES, THESAURUS

    migration = importlib.import_module("reseau_acv.core.migrations.0009_thesaurus_large")
    EntreeThesaurus.objects.all().delete()
    for line in THESAURUS:
        EntreeThesaurus.objects.create(expressions="\n".join(e.strip() for e in line.split(";")))
    EntreeThesaurus.objects.create(expressions="covoiturage\nvoitures partagées")  # written by staff
    migration.forward(apps, None)
    count = EntreeThesaurus.objects.count()
    assert count == len(THESAURUS) + 1 + len(NOUVEAUX_LARGES)  # the car-sharing group keeps three new expressions
    vacance = EntreeThesaurus.objects.get(expressions__startswith="vacance commerciale")
    assert "rideaux baissés" in vacance.liste
    assert all(a in EntreeThesaurus.objects.get(expressions__startswith="Anah").liste for a in AJOUTS_LARGES["Anah"])
    assert EntreeThesaurus.objects.filter(expressions__contains="covoiturage").count() == 1

    migration.forward(apps, None)
    assert EntreeThesaurus.objects.count() == count
    assert EntreeThesaurus.objects.get(pk=vacance.pk).liste == vacance.liste


def test_broad_thesaurus_joins_everyday_words_to_the_trade_and_never_a_word_that_floods():
    """« rideaux baissés » means vacant shops, « passoires thermiques » energy renovation,
    « médecins » a health centre, « îlots de chaleur » greening; « ville », « centre » or
    « projet » alone are in no group; no expression is in two groups."""
    from reseau_acv.core.recherche.initial import starting_groups
    from reseau_acv.core.recherche.thesaurus import _key

    groups = starting_groups()
    thesaurus = Thesaurus(groups)
    assert "vacance commerciale" in thesaurus.group_of("rideaux baissés")
    assert "rénovation énergétique" in thesaurus.group_of("passoires thermiques")
    assert "maison de santé" in thesaurus.group_of("médecins")
    assert "végétalisation" in thesaurus.group_of("îlots de chaleur")
    assert "automobile" in thesaurus.group_of("voitures")
    assert "France Services" in thesaurus.group_of("services publics")
    keys = [_key(expression) for group in groups for expression in group]
    for generic in ("ville", "centre", "projet", "commune", "habitants", "territoire"):
        assert _key(generic) not in keys, generic
    # nor a word any question may use, which would lead a relaxed query to the group
    question_words = {_key(w)[0] for w in ("trouver", "lutter", "attirer", "modèle", "coût", "besoin")}
    assert not [key for key in keys if question_words & set(key)]
    owners: dict = {}
    for index, group in enumerate(groups):
        for expression in group:
            owners.setdefault(_key(expression), set()).add(index)
    assert not [key for key, found in owners.items() if len(found) > 1]
    assert len(groups) >= 200


def test_les_and_prepositions_are_never_concepts_of_a_query():
    """« les », « contre », « pendant » — kept by PostgreSQL's index — are not what a query looks for."""
    assert [c.saisi for c in parse("lutter contre les friches", thesaurus=None).concepts] == ["lutter", "friches"]
    assert [c.saisi for c in parse("les commerces pendant le covid", thesaurus=None).concepts] == [
        "commerces",
        "covid",
    ]


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_a_thesaurus_expression_typed_still_finds_its_words_apart(using):
    """« boutiques vides » is an expression of its group, yet a note on « boutiques restées
    vides » still answers it, as it did before the thesaurus knew the expression."""
    _ressource(using, "Rue Nationale", resume="Des boutiques restées vides depuis deux ans")
    _ressource(using, "Guide du stationnement", resume="Tarifs et zones bleues")
    groups = Thesaurus([["boutiques vides", "vacance commerciale"]])
    queryset = Ressource.objects.using(using).all()
    found = search(queryset, RESSOURCE, parse("boutiques vides ", thesaurus=groups))
    assert [queryset.get(pk=pk).titre for pk in found.ids] == ["Rue Nationale"]


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_kinds_searched_together_weigh_each_word_alike(using):
    """On the global page, questions that only share « centre » and « ville » with « médecins
    centre-ville » do not look complete because no question speaks of doctors: the guide on
    doctors is the answer, the questions are not."""
    from reseau_acv.core.recherche import search_together
    from ressources.models import Question
    from ressources.recherche import QUESTION

    _ressource(using, "Maison de santé", resume="Attirer des médecins en centre-ville")
    for i in range(3):
        _ressource(using, f"Note {i}", resume="Le commerce du centre-ville")
    for i in range(4):
        question = Question.objects.using(using).create(
            titre=f"Animer le centre-ville {i}",
            slug=f"q-{i}",
            visibilite="public",
            statut=Statut.PUBLIE,
            publie_le=timezone.now(),
        )
        index_refresh(QUESTION, [question.pk], using=using)
    requete = parse("médecins centre-ville ", thesaurus=None)
    ressources, questions = search_together(
        [(Ressource.objects.using(using).all(), RESSOURCE), (Question.objects.using(using).all(), QUESTION)], requete
    )
    assert questions.ids == []
    assert Ressource.objects.using(using).get(pk=ressources.ids[0]).titre == "Maison de santé"
    alone = search(Question.objects.using(using).all(), QUESTION, requete)
    assert len(alone.ids) == 4  # searched alone, the questions hold the most of it there is


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_a_relaxed_stem_beginning_is_never_stemmed_again(using):
    """« habitantes » widens to words beginning with « habit » — not « hab », the stem of that
    stem, which would find « Habiller les vitrines »."""
    _ressource(using, "Habiller les vitrines", resume="Des vitrines décorées pour les fêtes")
    _ressource(using, "Accueillir les habitants", resume="Un guide d'accueil")
    queryset = Ressource.objects.using(using).all()
    found = rechercher(queryset, RESSOURCE, "comment joindre nos habitantes ?", elargir=True)
    assert [queryset.get(pk=pk).titre for pk in found.resultats.ids] == ["Accueillir les habitants"]


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_two_words_of_many_groups_reach_the_group_holding_both(using):
    """« boutiques » and « vides » are each in three groups (too many to say much alone), yet
    « des boutiques restées vides ? », which no document holds, reaches the one group holding
    both, and so « vacance commerciale »."""
    _ressource(using, "La vacance commerciale en hausse", resume="Un relevé annuel")
    _ressource(using, "Guide du stationnement", resume="Tarifs et zones bleues")
    queryset = Ressource.objects.using(using).all()
    groups = Thesaurus(
        [
            ["boutiques vides", "vacance commerciale"],
            ["boutiques éphémères", "pop-up"],
            ["boutiques de bouche", "commerces alimentaires"],
            ["logements vides", "logements inoccupés"],
            ["étages vides", "étages inoccupés"],
        ]
    )

    def run(requete):
        found = search(queryset, RESSOURCE, requete)
        return found.total, found.complets, found

    requete, found, _c, _s = choose(
        "des boutiques restées vides ?", run, using=using, with_thesaurus=groups, elargir=True
    )
    assert requete.elargie
    assert [queryset.get(pk=pk).titre for pk in found.ids] == ["La vacance commerciale en hausse"]


@pytest.mark.django_db
def test_expressions_holding_a_question_word_leave_the_thesaurus_and_nothing_else_does():
    """Migration 0010 takes « lutte contre l'habitat indigne » out of its group and keeps the rest."""
    import importlib

    from django.apps import apps

    from reseau_acv.core.models import EntreeThesaurus

    migration = importlib.import_module("reseau_acv.core.migrations.0010_thesaurus_mots_generaux")
    EntreeThesaurus.objects.all().delete()
    entry = EntreeThesaurus.objects.create(expressions="habitat indigne\nLutte contre l'habitat indigne\nLHI")
    other = EntreeThesaurus.objects.create(expressions="coworking\ntiers-lieu")
    migration.forward(apps, None)
    assert EntreeThesaurus.objects.get(pk=entry.pk).liste == ["habitat indigne", "LHI"]
    assert EntreeThesaurus.objects.get(pk=other.pk).liste == ["coworking", "tiers-lieu"]


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("using", BOTH)
def test_a_word_some_document_holds_is_no_typo_for_the_relaxed_query(using):
    """« portage » is only in a guide's body (not in the typo vocabulary of titles and summaries):
    the relaxed query of « comment financer le portage ? » does not take it for a typo of
    « portail » and so does not show « Le portail des aides »."""
    _ressource(using, "Le portail des aides", resume="Un site")
    _ressource(using, "Guide", corps="Le portage par l'établissement foncier, pas à pas")
    queryset = Ressource.objects.using(using).all()

    def run(requete):
        found = search(queryset, RESSOURCE, requete)
        return found.total, found.complets, found

    _requete, found, _c, _s = choose(
        "comment financer le portage ?", run, using=using, with_thesaurus=Thesaurus([["x y", "z"]]), elargir=True
    )
    assert [queryset.get(pk=pk).titre for pk in found.ids] == ["Guide"]


@pytest.mark.django_db
def test_two_long_neighbouring_words_do_not_stop_the_index():
    """A pasted run of characters (two neighbouring « words » of 1,100 letters) no longer makes the
    vector fail: the document is indexed and found by its other words and phrases."""
    long_a, long_b = "a" * 1100, "b" * 1100
    obj = _ressource("default", "Friches industrielles", resume=f"{long_a} {long_b} reconversion des friches")
    found = rechercher(Ressource.objects.all(), RESSOURCE, '"reconversion des friches"')
    assert list(found.resultats.ids) == [obj.pk]
