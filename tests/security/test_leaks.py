"""Security audit: no content leaks above its visibility, whatever the path and the role.

One catalogue holds, for every kind of content, one item per visibility level and one item per
non-published status (by another member). Each test walks one family of paths (lists, pages,
files, feeds, search, e-mails, actions) for every role and compares what it shows with what the
role may see: it fails as soon as one scope is removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from panorama.models import AbonnementEdition, ArticlePresse, Edition
from panorama.services import edition_send
from rencontres import services as rencontres_services
from rencontres.models import FluxCalendrier, Inscription, Rencontre
from reseau_acv.accueil import services as accueil_services
from reseau_acv.accueil.models import Frequence
from reseau_acv.accueil.search import reindex_all
from reseau_acv.comptes.models import Role, User
from reseau_acv.core.models import Courriel
from ressources.models import FichierVersion, Message, Question, Ressource, Statut
from tests.conftest import ROLES
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.panorama import ArticleFactory, EditionFactory
from tests.factories.rencontres import InscriptionFactory, RencontreFactory
from tests.factories.ressources import MessageFactory, QuestionFactory, RessourceFactory, RetourExperienceFactory
from tests.factories.villes import VilleFactory

pytestmark = pytest.mark.django_db

LEVELS = ("public", "partenaires", "reseau", "equipe")
RANK = {"anonyme": 1, "partenaire": 2, "chef_de_projet": 3, "equipe": 4}
MODERATED_STATUSES = (Statut.BROUILLON, Statut.PROPOSE, Statut.RENVOYE, Statut.MASQUE)
SECRET_LINK = "visio.example.org/reseau-acv-secret"


def allowed(role: str) -> tuple[str, ...]:
    return LEVELS[: RANK[role]]


def mark(kind: str, label: str) -> str:
    return f"Zorglub {kind} {label}"


@dataclass
class Catalogue:
    """Every kind of content at every level, plus unpublished items of another member."""

    ville: object
    auteur: object
    items: dict[tuple[str, str], object] = field(default_factory=dict)

    def levels(self, kind: str):
        return [(level, self.items[(kind, level)]) for level in LEVELS]

    def statuses(self, kind: str):
        return [(label, obj) for (k, label), obj in self.items.items() if k == kind and label not in LEVELS]


def _pdf_file(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% document du reseau\n%%EOF\n", name=name)


def _ressource(catalogue: Catalogue, label: str, **kwargs) -> Ressource:
    ressource = RessourceFactory(
        titre=mark("ressource", label),
        slug=f"zorglub-ressource-{label}",
        auteur=catalogue.auteur,
        fichier_nom=f"{label}.pdf",
        fichier_type="application/pdf",
        **kwargs,
    )
    ressource.fichier.save(f"{label}.pdf", _pdf_file(f"{label}.pdf"), save=True)
    ressource.villes.add(catalogue.ville)
    return ressource


@pytest.fixture
def catalogue(db) -> Catalogue:
    catalogue = Catalogue(ville=VilleFactory(nom="Zorgville", slug="zorgville"), auteur=ChefDeProjetFactory())
    ville, items = catalogue.ville, catalogue.items
    for level in LEVELS:
        items[("ressource", level)] = _ressource(catalogue, level, visibilite=level)
        items[("retour", level)] = RetourExperienceFactory(
            titre=mark("retour", level), slug=f"zorglub-retour-{level}", ville=ville, visibilite=level
        )
        items[("question", level)] = QuestionFactory(
            titre=mark("question", level), slug=f"zorglub-question-{level}", visibilite=level
        )
        items[("rencontre", level)] = RencontreFactory(titre=mark("rencontre", level), ville=ville, visibilite=level)
        items[("article", level)] = ArticleFactory(titre=mark("article", level), visibilite=level, villes=[ville])
        items[("edition", level)] = EditionFactory(titre=mark("edition", level), visibilite=level)
    for statut in MODERATED_STATUSES:
        items[("ressource", statut)] = _ressource(catalogue, statut, visibilite="public", statut=statut)
        items[("retour", statut)] = RetourExperienceFactory(
            titre=mark("retour", statut),
            slug=f"zorglub-retour-{statut}",
            ville=ville,
            visibilite="public",
            statut=statut,
            auteur=catalogue.auteur,
        )
        items[("question", statut)] = QuestionFactory(
            titre=mark("question", statut),
            slug=f"zorglub-question-{statut}",
            visibilite="public",
            statut=statut,
            auteur=catalogue.auteur,
        )
    items[("rencontre", "brouillon")] = RencontreFactory(
        titre=mark("rencontre", "brouillon"), ville=ville, visibilite="public", statut=Rencontre.Statut.BROUILLON
    )
    for statut in (ArticlePresse.Statut.A_TRIER, ArticlePresse.Statut.ECARTE, ArticlePresse.Statut.HORS_PERIMETRE):
        items[("article", statut)] = ArticleFactory(
            titre=mark("article", statut), visibilite="public", statut=statut, villes=[ville]
        )
    items[("edition", "brouillon")] = EditionFactory(
        titre=mark("edition", "brouillon"), visibilite="public", statut=Edition.Statut.BROUILLON, publiee_le=None
    )
    reindex_all()  # the factories write rows directly; the services would have indexed them
    return catalogue


def _check_markers(content: str, catalogue: Catalogue, kinds, role: str, *, statuses: bool = True) -> list[str]:
    """What is shown that should not be, and what is missing that should be shown."""
    problems = []
    for kind in kinds:
        for level, _obj in catalogue.levels(kind):
            shown = mark(kind, level) in content
            if shown != (level in allowed(role)):
                problems.append(f"{mark(kind, level)}: {'shown' if shown else 'missing'}")
        if statuses and role != "equipe":
            problems += [
                f"{mark(kind, label)}: shown"
                for label, _obj in catalogue.statuses(kind)
                if mark(kind, label) in content
            ]
    return problems


# --- Lists, town page, search, feeds -------------------------------------------------------------

LIST_PAGES = [
    ("ressources:ressource-list", {}, "", ["ressource"]),
    ("ressources:retour-list", {}, "", ["retour"]),
    ("ressources:question-list", {}, "", ["question"]),
    ("rencontres:rencontre-list", {}, "", ["rencontre"]),
    ("panorama:article-list", {}, "", ["article"]),
    ("panorama:edition-list", {}, "", ["edition"]),
    ("villes:ville-detail", {"slug": "zorgville"}, "", ["ressource", "retour", "rencontre", "article"]),
    ("accueil:search", {}, "?q=zorglub&type=ressources", ["ressource"]),
    ("accueil:search", {}, "?q=zorglub&type=retours", ["retour"]),
    ("accueil:search", {}, "?q=zorglub&type=questions", ["question"]),
    ("accueil:search", {}, "?q=zorglub&type=rencontres", ["rencontre"]),
    ("accueil:search", {}, "?q=zorglub&type=presse", ["article"]),
    ("panorama:edition-feed", {}, "", ["edition"]),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs", "query", "kinds"), LIST_PAGES, ids=[p[0] + p[2] for p in LIST_PAGES])
def test_lists_search_and_feeds_show_exactly_what_the_role_may_see(
    client_for, catalogue, role, name, kwargs, query, kinds
):
    """Lists, the town page, the global search and the editions feed show each role its levels, and no one else's draft."""
    response = client_for(role).get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code == 200
    assert _check_markers(response.content.decode(), catalogue, kinds, role) == []


@pytest.mark.parametrize("role", ROLES)
def test_public_resources_feed_holds_public_resources_only_whoever_asks(client_for, catalogue, role):
    """The resources Atom feed, read by feed readers without a session, lists public resources only."""
    content = client_for(role).get(reverse("ressources:ressource-feed")).content.decode()
    assert mark("ressource", "public") in content
    assert [level for level in LEVELS[1:] if mark("ressource", level) in content] == []
    assert [label for label, _obj in catalogue.statuses("ressource") if mark("ressource", label) in content] == []


# --- Pages, files, calendars and PDFs fetched by id or slug -------------------------------------

DETAILS = {
    "ressource": [
        ("ressources:ressource-detail", lambda o: {"slug": o.slug}),
        ("ressources:ressource-download", lambda o: {"slug": o.slug}),
    ],
    "retour": [("ressources:retour-detail", lambda o: {"slug": o.slug})],
    "question": [("ressources:question-detail", lambda o: {"slug": o.slug})],
    "rencontre": [
        ("rencontres:rencontre-detail", lambda o: {"pk": o.pk}),
        ("rencontres:rencontre-ics", lambda o: {"pk": o.pk}),
    ],
    "article": [("panorama:article-detail", lambda o: {"pk": o.pk})],
    "edition": [("panorama:edition-detail", lambda o: {"pk": o.pk})],
}


@pytest.mark.parametrize("role", ROLES)
def test_pages_files_and_calendars_answer_404_above_the_role(client_for, catalogue, role):
    """Every page, file download and .ics of an item answers 200 at the role's levels and 404 above, like a missing one."""
    client = client_for(role)
    problems = []
    for kind, routes in DETAILS.items():
        for level, obj in catalogue.levels(kind):
            for name, kwargs in routes:
                status = client.get(reverse(name, kwargs=kwargs(obj))).status_code
                expected = 200 if level in allowed(role) else 404
                if status != expected:
                    problems.append(f"{name} {level}: {status} instead of {expected}")
    assert problems == []


@pytest.mark.parametrize("role", ["anonyme", "partenaire", "chef_de_projet"])
def test_unpublished_items_of_another_member_answer_404(client_for, catalogue, role):
    """Drafts, proposals, sent-back and hidden items, unpublished meetings, unsorted press and draft editions answer 404 to other members."""
    client = client_for(role)
    problems = []
    for kind, routes in DETAILS.items():
        for label, obj in catalogue.statuses(kind):
            for name, kwargs in routes:
                status = client.get(reverse(name, kwargs=kwargs(obj))).status_code
                if status != 404:
                    problems.append(f"{name} {label}: {status}")
    assert problems == []


def test_staff_and_the_author_open_unpublished_items(client, catalogue):
    """The author of a draft and the staff open it; it is the same page the others cannot reach."""
    draft = catalogue.items[("ressource", Statut.BROUILLON)]
    client.force_login(catalogue.auteur)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(reverse("ressources:ressource-download", kwargs={"slug": draft.slug})).status_code == 200
    client.force_login(EquipeFactory())
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_edition_pdf_answers_404_above_the_role(client_for, catalogue, role):
    """An edition's PDF opens at the role's levels and answers 404 above them."""
    client = client_for(role)
    top = allowed(role)[-1]
    edition = catalogue.items[("edition", top)]
    response = client.get(reverse("panorama:edition-pdf", kwargs={"pk": edition.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    if role != "equipe":
        above = catalogue.items[("edition", LEVELS[RANK[role]])]
        assert client.get(reverse("panorama:edition-pdf", kwargs={"pk": above.pk})).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_public_edition_page_lists_only_the_articles_the_reader_may_see(client_for, catalogue, role):
    """A public edition holding articles of every level shows every reader its public articles only: what its
    PDF and its e-mail show too (an edition is read at its own level, never above)."""
    edition = catalogue.items[("edition", "public")]
    edition.articles.set([obj for _level, obj in catalogue.levels("article")])
    content = client_for(role).get(reverse("panorama:edition-detail", kwargs={"pk": edition.pk})).content.decode()
    shown = {level for level, _obj in catalogue.levels("article") if mark("article", level) in content}
    assert shown == {"public"}


def test_old_file_versions_follow_the_resource_visibility(client_for, catalogue):
    """A former version of a network resource's file answers 404 to a partner, like the resource."""
    ressource = catalogue.items[("ressource", "reseau")]
    version = FichierVersion(ressource=ressource, numero=1, nom="v1.pdf", type_mime="application/pdf", taille=30)
    version.fichier.save("v1.pdf", _pdf_file("v1.pdf"), save=False)
    version.save()
    url = reverse("ressources:fichierversion-download", kwargs={"slug": ressource.slug, "numero": 1})
    assert client_for("partenaire").get(url).status_code == 404
    assert client_for("chef_de_projet").get(url).status_code == 200


# --- Video link and the private calendar feed --------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_video_link_only_for_registrants_and_staff(client, user_for_role, catalogue, role):
    """The video link of a public meeting is on its page and .ics for staff and registrants, never for the others."""
    rencontre = catalogue.items[("rencontre", "public")]
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    urls = [
        reverse(n, kwargs={"pk": rencontre.pk}) for n in ("rencontres:rencontre-detail", "rencontres:rencontre-ics")
    ]
    shown = [SECRET_LINK in client.get(url).content.decode() for url in urls]
    assert shown == [role == "equipe"] * 2
    if user is not None and role != "equipe":
        InscriptionFactory(rencontre=rencontre, membre=user)
        assert [SECRET_LINK in client.get(url).content.decode() for url in urls] == [True, True]


def test_private_calendar_feed_drops_meetings_the_member_may_no_longer_see(client, catalogue):
    """A member's calendar feed lists their meetings, minus one whose visibility rose above them; a wrong token is 404."""
    chef = ChefDeProjetFactory()
    for level in ("reseau", "equipe"):
        InscriptionFactory(rencontre=catalogue.items[("rencontre", level)], membre=chef)
    token = rencontres_services.flux_renew(actor=chef)
    content = client.get(reverse("rencontres:flux-detail", kwargs={"token": token})).content.decode()
    assert mark("rencontre", "reseau") in content
    assert mark("rencontre", "equipe") not in content
    assert FluxCalendrier.objects.filter(membre=chef).exists()
    assert client.get(reverse("rencontres:flux-detail", kwargs={"token": token + "x"})).status_code == 404


# --- Actions members take on content ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet", "equipe"])
def test_registration_only_for_meetings_the_member_may_see(client, user_for_role, catalogue, role):
    """A member registers for meetings of their levels; above them the registration answers 404 and records nothing."""
    user = user_for_role(role)
    client.force_login(user)
    problems = []
    for level, rencontre in catalogue.levels("rencontre"):
        status = client.post(reverse("rencontres:inscription-create", kwargs={"pk": rencontre.pk})).status_code
        registered = Inscription.objects.filter(rencontre=rencontre, membre=user).exists()
        if (status, registered) != ((302, True) if level in allowed(role) else (404, False)):
            problems.append(f"{level}: {status}, registered={registered}")
    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_comments_only_on_threads_the_member_may_see(client, user_for_role, catalogue, role):
    """Answering a question above one's level, or an unpublished one, answers 404 and writes nothing."""
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    targets = catalogue.levels("question") + catalogue.statuses("question")
    for label, question in targets:
        client.post(
            reverse("ressources:message-create", kwargs={"kind": "question", "slug": question.slug}),
            {"corps": f"Réponse sur {label}"},
        )
    written = set(Message.objects.filter(auteur=user).values_list("question__visibilite", "question__statut"))
    expected = set() if user is None else {(level, Statut.PUBLIE) for level in allowed(role)}
    assert written == expected


@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet"])
def test_hidden_message_cannot_be_read_or_reported_by_others(client, user_for_role, catalogue, role):
    """A hidden answer is not on the question page and reporting it answers 404 to members other than its author."""
    question = catalogue.items[("question", "public")]
    hidden = MessageFactory(question=question, corps="Zorglub message masque", masque=True)
    client.force_login(user_for_role(role))
    assert "Zorglub message masque" not in client.get(question.get_absolute_url()).content.decode()
    url = reverse("ressources:message-report", kwargs={"pk": hidden.pk})
    assert client.post(url, {"motif": "Hors sujet"}).status_code == 404
    assert not hidden.signalements.exists()


def test_members_edit_only_their_own_contributions(client, catalogue):
    """Another lead's resource and experience sheet answer 404 to the edit form, and accepting an answer on their question too."""
    client.force_login(ChefDeProjetFactory())
    ressource = catalogue.items[("ressource", "public")]
    retour = catalogue.items[("retour", "public")]
    question = catalogue.items[("question", "public")]
    answer = MessageFactory(question=question)
    assert client.get(reverse("ressources:ressource-update", kwargs={"slug": ressource.slug})).status_code == 404
    assert client.post(reverse("ressources:ressource-update", kwargs={"slug": ressource.slug}), {}).status_code == 404
    assert client.get(reverse("ressources:retour-update", kwargs={"slug": retour.slug})).status_code == 404
    accept = reverse("ressources:question-accept", kwargs={"slug": question.slug})
    assert client.post(accept, {"message": answer.pk}).status_code == 404
    question.refresh_from_db()
    assert question.reponse_retenue_id is None
    client.force_login(catalogue.auteur)
    assert client.get(reverse("ressources:ressource-update", kwargs={"slug": ressource.slug})).status_code == 200


def test_untrusted_html_in_a_question_is_neutralised(client, catalogue):
    """Script tags and javascript: links written in a question reach no reader as live HTML."""
    question = catalogue.items[("question", "public")]
    question.corps = '<script>alert("zorglub")</script>\n\n[clic](javascript:alert(1)) <img src=x onerror=alert(1)>'
    question.save()
    content = client.get(question.get_absolute_url()).content.decode()
    assert "<script>alert" not in content
    assert "javascript:" not in content
    assert "onerror" not in content


# --- Staff pages and actions ------------------------------------------------------------------------


def _staff_routes(catalogue: Catalogue) -> list[tuple[str, str, dict, dict]]:
    items = catalogue.items
    draft_meeting = items[("rencontre", "brouillon")].pk
    meeting = items[("rencontre", "public")].pk
    hidden_target = MessageFactory(question=items[("question", "public")], corps="Message à masquer")
    return [
        ("get", "ressources:moderation-list", {}, {}),
        (
            "post",
            "ressources:moderation-act",
            {"kind": "ressource", "pk": items[("ressource", Statut.PROPOSE)].pk},
            {"action": "publier"},
        ),
        ("post", "ressources:question-moderate", {"slug": items[("question", "public")].slug}, {"action": "fermer"}),
        ("post", "ressources:message-hide", {"pk": hidden_target.pk}, {"motif": "Hors sujet"}),
        ("get", "rencontres:rencontre-create", {}, {}),
        ("get", "rencontres:rencontre-update", {"pk": meeting}, {}),
        ("post", "rencontres:rencontre-publish", {"pk": draft_meeting}, {}),
        ("post", "rencontres:rencontre-cancel", {"pk": meeting}, {}),
        ("post", "rencontres:rencontre-followup", {"pk": meeting}, {}),
        ("get", "rencontres:rencontre-attendance", {"pk": meeting}, {}),
        ("post", "rencontres:materiau-create", {"pk": meeting}, {}),
        ("get", "rencontres:rencontre-export", {"pk": meeting}, {}),
        ("get", "panorama:article-queue", {}, {}),
        ("get", "panorama:article-review", {"pk": items[("article", ArticlePresse.Statut.A_TRIER)].pk}, {}),
        ("get", "panorama:regle-list", {}, {}),
        ("get", "panorama:source-list", {}, {}),
        ("get", "panorama:edition-create", {}, {}),
        ("get", "panorama:edition-update", {"pk": items[("edition", "brouillon")].pk}, {}),
        ("post", "panorama:edition-publish", {"pk": items[("edition", "brouillon")].pk}, {}),
        ("get", "accueil:animation-dashboard", {}, {}),
        ("get", "accueil:animation-export", {"key": "presse-villes-mois"}, {}),
        ("get", "villes:invitation-create", {}, {}),
    ]


def _state(catalogue: Catalogue) -> dict:
    items = catalogue.items
    return {
        "ressource proposée": Ressource.objects.get(pk=items[("ressource", Statut.PROPOSE)].pk).statut,
        "question fermée": Question.objects.get(pk=items[("question", "public")].pk).fermee,
        "messages masqués": Message.objects.filter(masque=True).count(),
        "rencontre brouillon": Rencontre.objects.get(pk=items[("rencontre", "brouillon")].pk).statut,
        "rencontre publique": Rencontre.objects.get(pk=items[("rencontre", "public")].pk).statut,
        "édition brouillon": Edition.objects.get(pk=items[("edition", "brouillon")].pk).statut,
    }


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages_and_actions_are_404_to_members_and_sign_in_to_visitors(client_for, catalogue, role):
    """Every staff page and action answers 404 to members, sends visitors to sign in, changes nothing; staff reach it."""
    routes = _staff_routes(catalogue)
    before = _state(catalogue)
    client = client_for(role)
    problems = []
    for method, name, kwargs, data in routes:
        response = getattr(client, method)(reverse(name, kwargs=kwargs), data)
        location = response.get("Location", "")
        if role == "equipe":
            ok = response.status_code in {200, 302} and "/compte/login/" not in location
        elif role == "anonyme":
            ok = response.status_code == 302 and location.startswith(reverse("account_login"))
        else:
            ok = response.status_code == 404
        if not ok:
            problems.append(f"{method.upper()} {name}: {response.status_code} {location}")
    assert problems == []
    if role != "equipe":
        assert _state(catalogue) == before
    else:
        assert _state(catalogue) != before


# --- CSRF and redirects --------------------------------------------------------------------------


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _views(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}", pattern.callback


def test_only_the_one_click_unsubscribe_is_exempt_from_csrf():
    """No form of the platform accepts a cross-site POST, except the RFC 8058 unsubscribe that a signed token guards."""
    exempt = {
        name
        for name, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False) and not name.startswith("admin:")
    }
    assert exempt == {"accueil:preferences-unsubscribe"}


def test_csrf_is_enforced_on_member_actions(catalogue):
    """A registration POSTed without the CSRF token from another site is refused."""
    chef = ChefDeProjetFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(chef)
    rencontre = catalogue.items[("rencontre", "reseau")]
    response = client.post(reverse("rencontres:inscription-create", kwargs={"pk": rencontre.pk}))
    assert response.status_code == 403
    assert not Inscription.objects.filter(membre=chef).exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "https:/evil.example"])
def test_sign_in_never_redirects_off_site(client, target):
    """After signing in with next= pointing to another site, the member lands on the platform."""
    user = ChefDeProjetFactory()
    response = client.post(
        reverse("account_login") + f"?next={target}", {"login": user.email, "password": "mot-de-passe-test"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert client.get(reverse("accueil:dashboard")).status_code == 200


def test_unsubscribe_link_cannot_be_forged(client):
    """An altered unsubscribe token answers 404 and unsubscribes nobody."""
    chef = ChefDeProjetFactory()
    token = accueil_services.unsubscribe_token(chef)
    forged = token.replace(f'"u":{chef.pk}', f'"u":{chef.pk + 1}')
    other = ChefDeProjetFactory()
    bad = accueil_services.unsubscribe_token(other)[:-2] + "xx"
    for value in (forged + "x", bad):
        assert client.post(reverse("accueil:preferences-unsubscribe", kwargs={"token": value})).status_code == 404
    assert client.post(reverse("accueil:preferences-unsubscribe", kwargs={"token": token})).status_code == 200


def test_member_photo_only_with_directory_consent(client):
    """A member who declined the directory has no photo served to other members."""
    hidden = ChefDeProjetFactory(consentement_annuaire=False)
    hidden.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff\xe0jpeg", name="p.jpg"), save=True)
    client.force_login(PartenaireFactory())
    assert client.get(reverse("comptes:user-photo", kwargs={"pk": hidden.pk})).status_code == 404
    client.force_login(hidden)
    assert client.get(reverse("comptes:user-photo", kwargs={"pk": hidden.pk})).status_code == 200


# --- E-mails -----------------------------------------------------------------------------------------


def _members():
    return {
        "partenaire": PartenaireFactory(),
        "chef_de_projet": ChefDeProjetFactory(),
        "equipe": EquipeFactory(),
    }


def test_digest_holds_for_each_member_only_what_their_role_may_see(catalogue):
    """Each member's weekly digest lists resources, questions and meetings of their levels and no unpublished item."""
    members = _members()
    accueil_services.digest_run(frequence=Frequence.HEBDOMADAIRE, now=timezone.now() + timedelta(days=7))
    problems = []
    for role, member in members.items():
        courriel = Courriel.objects.filter(destinataire=member.email, objet_envoi__contains="digest").first()
        assert courriel is not None, role
        problems += [
            f"{role} {p}"
            for p in _check_markers(courriel.texte, catalogue, ["ressource", "question", "rencontre"], role)
        ]
    assert problems == []


def test_meeting_invitations_reach_only_members_who_may_see_it(catalogue, equipe):
    """Publishing a network meeting invites leads and staff, never partners."""
    members = _members()
    rencontre = RencontreFactory(titre="Zorglub invitation", visibilite="reseau", statut=Rencontre.Statut.BROUILLON)
    rencontres_services.rencontre_publish(actor=equipe, rencontre=rencontre)
    invited = set(Courriel.objects.filter(objet_envoi="rencontre_invitation").values_list("destinataire", flat=True))
    assert members["partenaire"].email not in invited
    assert {members["chef_de_projet"].email, members["equipe"].email} <= invited


def test_edition_email_holds_only_articles_of_its_level_and_reaches_only_its_readers(catalogue):
    """A partners' edition e-mail lists no network or staff article, and a network edition reaches no partner."""
    members = _members()
    for member in members.values():
        AbonnementEdition.objects.create(membre=member, actif=True)
    partenaires = catalogue.items[("edition", "partenaires")]
    partenaires.articles.set([obj for _level, obj in catalogue.levels("article")])
    edition_send(edition_id=partenaires.pk)
    mails = Courriel.objects.filter(objet_envoi="panorama.edition")
    assert mails.count() == 3
    for courriel in mails:
        assert mark("article", "partenaires") in courriel.texte
        assert mark("article", "reseau") not in courriel.texte + courriel.html
        assert mark("article", "equipe") not in courriel.texte + courriel.html
    mails.delete()
    edition_send(edition_id=catalogue.items[("edition", "reseau")].pk)
    recipients = set(Courriel.objects.filter(objet_envoi="panorama.edition").values_list("destinataire", flat=True))
    assert recipients == {members["chef_de_projet"].email, members["equipe"].email}


def test_followup_lists_only_the_materials_each_participant_may_see(catalogue, equipe):
    """After a meeting, a partner's follow-up lists the partners' material, not the network one."""
    rencontre = RencontreFactory(
        titre="Zorglub plénière", visibilite="partenaires", debut=timezone.now() - timedelta(hours=3)
    )
    rencontre.materiaux.add(catalogue.items[("ressource", "partenaires")], catalogue.items[("ressource", "reseau")])
    partenaire, chef = PartenaireFactory(), ChefDeProjetFactory()
    for membre in (partenaire, chef):
        InscriptionFactory(rencontre=rencontre, membre=membre)
    rencontres_services.rencontre_send_followup(actor=equipe, rencontre=rencontre)
    texts = {c.destinataire: c.texte for c in Courriel.objects.filter(objet_envoi="rencontre_suivi")}
    assert mark("ressource", "partenaires") in texts[partenaire.email]
    assert mark("ressource", "reseau") not in texts[partenaire.email]
    assert mark("ressource", "reseau") in texts[chef.email]


@pytest.mark.parametrize("lost_access", ["deactivated", "became_partner"])
def test_waiting_list_promotion_skips_members_who_lost_access(equipe, lost_access):
    """A place freed in a full network meeting never goes, with its video link, to a waiting member who lost access."""
    rencontre = RencontreFactory(titre="Zorglub complet", visibilite="reseau", capacite=1)
    first, waiting = ChefDeProjetFactory(), ChefDeProjetFactory()
    rencontres_services.inscription_register(actor=first, rencontre=rencontre)
    rencontres_services.inscription_register(actor=waiting, rencontre=rencontre)
    if lost_access == "deactivated":
        waiting.is_active = False
    else:
        waiting.role = Role.PARTENAIRE
    waiting.save()
    rencontres_services.inscription_withdraw(actor=first, rencontre=rencontre)
    assert not Courriel.objects.filter(objet_envoi="rencontre_promotion", destinataire=waiting.email).exists()
    assert Inscription.objects.get(rencontre=rencontre, membre=waiting).statut == Inscription.Statut.ATTENTE


def _town_content(contenu: str, ville, level: str):
    if contenu == "ressources":
        RessourceFactory(visibilite=level).villes.add(ville)
    elif contenu == "retours":
        RetourExperienceFactory(visibilite=level, ville=ville)
    elif contenu == "questions":
        QuestionFactory(visibilite=level).villes.add(ville)
    elif contenu == "rencontres":
        RencontreFactory(visibilite=level, ville=ville)
    else:
        ArticleFactory(visibilite=level, statut="retenu").villes.add(ville)


@pytest.mark.parametrize("contenu", ["ressources", "retours", "questions", "rencontres", "presse"])
@pytest.mark.parametrize("role", ROLES)
def test_town_filter_does_not_reveal_content_above_the_role(client_for, contenu, role):
    """A town whose only content is for the network is not suggested by a list's town filter to partners or visitors."""
    ville = VilleFactory(nom="Zorgbourg", slug="zorgbourg")
    _town_content(contenu, ville, "reseau")
    response = client_for(role).get(reverse("villes:ville-choices"), {"q": "zorg", "contenu": contenu})
    assert response.status_code == 200
    suggested = [town["nom"] for town in response.json()["results"]]
    assert (suggested == ["Zorgbourg"]) == ("reseau" in allowed(role))


@pytest.mark.parametrize("role", ROLES)
def test_plenary_archive_shows_each_role_only_its_plenaries(client_for, role):
    """The plenary archive of a year lists the plenaries of the role's levels; a year holding only higher ones is 404."""
    debut = datetime(2021, 1, 21, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    for level in LEVELS:
        RencontreFactory(
            titre=mark("pleniere", level),
            type=Rencontre.Type.PLENIERE,
            visibilite=level,
            debut=debut,
            fin=debut + timedelta(hours=6),
            statut=Rencontre.Statut.TENUE,
        )
    RencontreFactory(
        titre=mark("pleniere", "equipe seule"),
        type=Rencontre.Type.PLENIERE,
        visibilite="equipe",
        debut=debut.replace(year=2020),
        fin=debut.replace(year=2020) + timedelta(hours=6),
        statut=Rencontre.Statut.TENUE,
    )
    client = client_for(role)
    content = client.get(reverse("rencontres:pleniere-year", kwargs={"year": 2021})).content.decode()
    assert [level for level in LEVELS if mark("pleniere", level) in content] == list(allowed(role))
    status = client.get(reverse("rencontres:pleniere-year", kwargs={"year": 2020})).status_code
    assert status == (200 if role == "equipe" else 404)


def test_nobody_can_sign_up_without_an_invitation(client):
    """The sign-up form creates no account: membership, and the partners' level it opens, is by invitation only."""
    before = User.objects.count()
    client.post(
        reverse("account_signup"),
        {"email": "intrus@example.org", "password1": "Mot-de-passe-long-42", "password2": "Mot-de-passe-long-42"},
    )
    assert User.objects.count() == before
    assert not User.objects.filter(email="intrus@example.org").exists()


@pytest.mark.parametrize("role", ["partenaire", "chef_de_projet", "equipe"])
def test_member_page_lists_exactly_what_the_role_may_see(client_for, catalogue, role):
    """A member's page and its « voir tout » list show each role the author's resources at its levels, never unpublished ones."""
    client = client_for(role)
    problems = []
    for query in ("", "?voir=ressources"):
        content = client.get(reverse("accueil:membre", args=[catalogue.auteur.pk]) + query).content.decode()
        problems += _check_markers(content, catalogue, ["ressource"], role)
        problems += [f"{mark('ressource', s)}: shown" for s in MODERATED_STATUSES if mark("ressource", s) in content]
    assert problems == []
