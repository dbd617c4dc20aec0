import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from reseau_acv.comptes.models import User
from reseau_acv.core import services as core_services
from reseau_acv.core.csv_export import csv_response
from reseau_acv.core.models import EntreeThesaurus, Theme
from reseau_acv.core.pagination import paginate, querystring_without_page
from reseau_acv.core.permissions import equipe_required
from reseau_acv.core.recherche import thesaurus
from reseau_acv.core.selectors import followed_ids
from ressources.models import Statut
from ressources.permissions import can_contribute
from villes.models import Programme, Ville

from . import contributions as contributions_lib
from . import donnees, membres, services, stats
from .dashboard import dashboard_panels
from .forms import (
    AccountDeleteForm,
    DataRequestForm,
    DataRequestLookupForm,
    PreferencesForm,
    PremiersPasForm,
    ThesaurusForm,
)
from .models import SECTION_FIELDS, JournalDonnees
from .premiers_pas import premiers_pas_initial
from .search import GROUPES_BY_KEY, MIN_QUERY_LENGTH, PER_PAGE, Filtres, page_results, search_group, search_page

logger = logging.getLogger(__name__)


# The home page's figures are reference data (programmes, the network's towns, the PVD communes
# counted among 1,850 at national scale): kept an hour, like the town filters' choices and the map.
HOME_KEY = "accueil:home:v1"
HOME_SECONDS = 3600


def home(request):
    """The public presentation of the network and its programmes."""
    context = cache.get(HOME_KEY)
    if context is None:
        context = {
            "programmes": list(Programme.objects.order_by("lancement")),
            "villes_reseau": list(Ville.objects.reseau().order_by("nom")),
            "nb_pvd": Ville.objects.of_programme("pvd").count(),
        }
        cache.set(HOME_KEY, context, HOME_SECONDS)
    return render(request, "accueil/home.html", context)


@login_required
def dashboard(request):
    return render(request, "accueil/dashboard.html", {"panels": dashboard_panels(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def premiers_pas(request):
    """The two short questions of a new member's first sign-in (and, later, to change the answers)."""
    if request.method == "POST" and request.POST.get("action") == "plus-tard":
        services.premiers_pas_skip(actor=request.user)
        messages.info(request, _("Vous pourrez choisir vos villes et thèmes plus tard, depuis le tableau de bord."))
        return redirect("accueil:dashboard")
    form = PremiersPasForm(request.POST or None, initial=premiers_pas_initial(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.premiers_pas_save(
            actor=request.user, villes=data["villes"], themes=data["themes"], frequence=data["frequence"]
        )
        messages.success(request, _("C'est noté. Voici de quoi bien démarrer."))
        return redirect("accueil:dashboard")
    return render(request, "accueil/premiers_pas.html", {"form": form})


MEMBER_ITEMS_PER_PAGE = 20


@login_required
def member_detail(request, pk: int):
    """A member's page: who they are, their towns and expertise, what they shared that I may see."""
    member = membres.member_visible_or_404(viewer=request.user, pk=pk)
    context = {"membre": member, "kinds": membres.KINDS}
    voir = request.GET.get("voir")
    if voir:
        kind, rows = membres.member_kind_rows(viewer=request.user, member=member, key=voir)
        page, querystring = paginate(request, rows, per_page=MEMBER_ITEMS_PER_PAGE)
        context.update(kind=kind, page=page, items=page.object_list, querystring=querystring)
    else:
        context["sections"] = membres.member_sections(viewer=request.user, member=member)
    return render(request, "accueil/user_detail.html", context)


@login_required
def contributions(request):
    """Everything I authored, with its status and what I can do next (modify, propose, withdraw)."""
    user = request.user
    statut = request.GET.get("statut", "")
    page, rows = contributions_lib.contributions_page(user=user, statut=statut, number=request.GET.get("page"))
    counts = contributions_lib.status_counts(user=user)
    messages_fil = contributions_lib.messages_page(user=user, number=request.GET.get("page_messages"))
    context = {
        "page": page,
        "contributions": rows,
        "statut": statut if statut in counts else "",
        "statuts": [(value, label, counts[value]) for value, label in Statut.choices],
        "total": sum(counts.values()),
        "page_messages": messages_fil,
        "querystring": querystring_without_page(request),
        "messages_querystring": f"statut={statut}&page={page.number}" if statut else f"page={page.number}",
        "here": request.get_full_path(),
        "can_contribute": can_contribute(user),
    }
    return render(request, "accueil/contributions.html", context)


def _filtres(params) -> Filtres:
    annee = params.get("annee", "")
    return Filtres(
        theme=params.get("theme", "")[:60],
        ville=params.get("ville", "")[:140],
        annee=int(annee) if annee.isdigit() and len(annee) == 4 else None,
    )


def _link(params, **changes) -> str:
    """This search's address with some parameters changed (the query is kept; back to page 1)."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return f"?{query.urlencode()}"


def _facet_links(params, facettes: dict) -> dict:
    return {
        name: [
            {"facette": f, "url": _link(params, **{name: f.valeur}), "actif": params.get(name) == f.valeur}
            for f in values
        ]
        for name, values in facettes.items()
    }


def search(request):
    """Everyone may search; every result, count and facet is what the visitor may see."""
    params = request.GET
    query = " ".join(params.get("q", "").replace("\x00", " ").split())[:200]
    filtres = _filtres(params)
    key = params.get("type", "")
    context = {
        "query": query,
        "too_short": bool(query) and len(query) < MIN_QUERY_LENGTH,
        "filtres": filtres,
        "retirer": {name: _link(params, **{name: None}) for name in ("theme", "ville", "annee", "type")},
        "themes": Theme.objects.order_by("ordre"),
        "thesaurus": EntreeThesaurus.objects.filter(actif=True).order_by("pk")[:6],
        "facet_titles_global": [
            ("type", _("Type")),
            ("theme", _("Thème")),
            ("ville", _("Ville")),
            ("annee", _("Année")),
        ],
        "facet_titles_group": [("theme", _("Thème")), ("ville", _("Ville")), ("annee", _("Année"))],
    }
    if key in GROUPES_BY_KEY:
        sort = "date" if params.get("tri") == "date" else "pertinence"
        liste = search_group(user=request.user, texte=query, key=key, filtres=filtres, sort=sort)
        page = Paginator(liste.resultats.ids, PER_PAGE).get_page(params.get("page"))
        params_type = params.copy()
        context.update(
            liste=liste,
            page=page,
            resultats=page_results(liste, list(page.object_list)),
            facettes=_facet_links(params_type, liste.facettes),
            tri=sort,
            tri_date=_link(params, tri="date"),
            tri_pertinence=_link(params, tri=None),
            querystring=_link(params)[1:],
        )
        return render(request, "accueil/search_group.html", context)
    found = search_page(user=request.user, texte=query, filtres=filtres)
    context.update(
        page=found,
        facettes=_facet_links(params, found.facettes),
        voir={g.groupe.key: _link(params, type=g.groupe.key) for g in found.groupes},
    )
    return render(request, "accueil/search.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_edit(request):
    preferences = services.preferences_get(user=request.user)
    followed = {
        "villes": list(Ville.objects.filter(pk__in=followed_ids(user=request.user, model=Ville)).order_by("nom")),
        "themes": list(Theme.objects.filter(pk__in=followed_ids(user=request.user, model=Theme))),
    }
    form = PreferencesForm(request.POST or None, instance=preferences, initial=followed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.preferences_update(
            actor=request.user,
            user=request.user,
            frequence=data["frequence"],
            sections={key: data[field] for key, field in SECTION_FIELDS.items()},
            villes=data["villes"],
            themes=data["themes"],
        )
        messages.success(request, _("Vos préférences de courriel sont enregistrées."))
        return redirect("accueil:preferences-edit")
    return render(request, "accueil/preferences_form.html", {"form": form})


@csrf_exempt  # RFC 8058: mail clients POST here without a session; the signed token is the authority.
@require_http_methods(["GET", "POST"])
def preferences_unsubscribe(request, token: str):
    """GET shows a confirmation button (link scanners must not unsubscribe anyone); POST, from
    that button or from a mail client's one-click, unsubscribes."""
    try:
        member = services.user_for_unsubscribe_token(token)
    except ValidationError:
        return render(request, "accueil/preferences_unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        services.preferences_unsubscribe(token=token)
        return render(request, "accueil/preferences_unsubscribe_done.html", {"member": member})
    return render(request, "accueil/preferences_unsubscribe.html", {"member": member})


@equipe_required
@require_http_methods(["GET", "POST"])
def animation(request):
    """The figures computed by the periodic task (no table walked here); none yet: the task is queued."""
    if request.method == "POST":
        _animation_refresh_queue()
        messages.success(request, _("Le calcul des chiffres est demandé : rechargez la page dans une minute."))
        return redirect("accueil:animation-dashboard")
    return render(request, "accueil/animation_dashboard.html", {"snapshot": _animation_snapshot()})


def _animation_snapshot():
    snapshot = stats.snapshot_get()
    if snapshot is None:
        _animation_refresh_queue()
        snapshot = stats.snapshot_get()  # without a broker the task has just run
    return snapshot


def _animation_refresh_queue() -> None:
    from .tasks import animation_refresh_task

    try:
        animation_refresh_task.apply_async(retry=False)
    except Exception:  # noqa: BLE001 (a broker that is down: beat computes it at its next pass)
        logger.warning("accueil: animation refresh could not be queued")


@equipe_required
def animation_export(request, key: str):
    snapshot = _animation_snapshot()
    chart = next((c for c in snapshot.charts if c.key == key), None) if snapshot else None
    if chart is None:
        raise Http404
    return csv_response(f"reseau-acv-{chart.key}.csv", chart.csv_rows())


# --- Members' data rights (RGPD) ------------------------------------------------------------


def _zip_response(content: bytes, member) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="reseau-acv-donnees-{member.pk}-{stamp}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


def personal_data(request):
    """« Données personnelles »: what is kept, why and for how long."""
    return render(
        request,
        "accueil/donnees_personnelles.html",
        {"outbox_days": settings.OUTBOX_RETENTION_DAYS, "notification_days": settings.NOTIFICATION_RETENTION_DAYS},
    )


@login_required
@require_GET
def data_export(request):
    """My data, as a ZIP (JSON and my files)."""
    return _zip_response(donnees.member_export(actor=request.user, member=request.user), request.user)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Delete my account after confirming my password."""
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            donnees.member_delete(actor=request.user, member=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error.message_dict.get("password", error.messages))
        else:
            logout(request)
            messages.success(request, _("Votre compte et vos données personnelles sont supprimés. Au revoir !"))
            return redirect("accueil:home")
    return render(request, "accueil/compte_confirm_delete.html", {"form": form})


def _thesaurus_preview(request, form) -> dict | None:
    """What the query to try finds with the saved thesaurus, and with this entry as well."""
    data = form.cleaned_data
    essai = (data.get("essai") or "").strip()
    if not essai:
        return None
    groups = thesaurus.load().groups
    candidate = thesaurus.split_expressions(data["expressions"])
    trial = thesaurus.Thesaurus([*groups, candidate] if data.get("actif") else groups)
    before = search_page(user=request.user, texte=essai)
    after = search_page(user=request.user, texte=essai, with_thesaurus=trial)
    return {"essai": essai, "avant": before, "apres": after, "formes": after.requete.concepts if after.requete else []}


@equipe_required
@require_http_methods(["GET", "POST"])
def data_requests(request):
    """Staff act on a member's request: export their data or delete their account; both are journalled."""
    lookup = DataRequestLookupForm(request.GET or None)
    member = None
    if lookup.is_valid():
        member = User.objects.filter(email__iexact=lookup.cleaned_data["email"]).first()
    action_form = DataRequestForm(request.POST or None)
    if request.method == "POST" and action_form.is_valid():
        target = get_object_or_404(User.objects.all(), pk=action_form.cleaned_data["membre"])
        motif = action_form.cleaned_data["motif"]
        if action_form.cleaned_data["action"] == "export":
            return _zip_response(donnees.member_export(actor=request.user, member=target, motif=motif), target)
        donnees.member_delete(actor=request.user, member=target, motif=motif)
        messages.success(request, _("Le compte est supprimé ; la demande est journalisée."))
        return redirect("accueil:data-requests")
    journal = Paginator(JournalDonnees.objects.select_related("par").order_by("-le", "-pk"), 50)
    context = {
        "lookup": lookup,
        "member": member,
        "action_form": action_form,
        "page": journal.get_page(request.GET.get("page")),
    }
    return render(request, "accueil/journaldonnees_list.html", context)


@equipe_required
@require_http_methods(["GET", "POST"])
def thesaurus_list(request, pk: int | None = None):
    """Staff edit the search thesaurus, with a preview of what a query then finds."""
    entree = get_object_or_404(EntreeThesaurus.objects.all(), pk=pk) if pk else None  # staff-only data, no visibility
    initial = {"expressions": entree.expressions, "actif": entree.actif} if entree else {"actif": True}
    form = ThesaurusForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and request.POST.get("action") == "supprimer" and entree:
        core_services.thesaurus_delete(actor=request.user, entree=entree)
        messages.success(request, _("L'entrée est supprimée du thésaurus."))
        return redirect("accueil:thesaurus")
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "enregistrer":
            try:
                core_services.thesaurus_save(
                    actor=request.user,
                    entree=entree,
                    expressions=form.cleaned_data["expressions"],
                    actif=form.cleaned_data["actif"],
                )
            except ValidationError as error:
                form.add_error("expressions", error.messages)
            else:
                messages.success(request, _("Le thésaurus est enregistré : les recherches l'utilisent dès maintenant."))
                return redirect("accueil:thesaurus")
        else:
            preview = _thesaurus_preview(request, form)
    entrees = Paginator(EntreeThesaurus.objects.order_by("pk"), 50).get_page(request.GET.get("page"))
    context = {"form": form, "entree": entree, "entrees": entrees, "page": entrees, "preview": preview}
    return render(request, "accueil/thesaurus_list.html", context)
