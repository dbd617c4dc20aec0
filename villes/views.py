from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reseau_acv.comptes import services as comptes_services
from reseau_acv.comptes.models import Invitation
from reseau_acv.core import listes
from reseau_acv.core.pagination import paginate
from reseau_acv.core.permissions import equipe_required
from reseau_acv.core.selectors import is_following

from . import pickers, selectors, services
from .carte import carte_departement, carte_france, contours
from .filters import MembreFilter, VilleFilter
from .forms import InvitationForm, InvitationImportForm
from .invitation_batch import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TEMPLATE_CSV, batch_read
from .models import Ville
from .sections import town_sections

TOWNS_PER_PAGE = 50
MEMBERS_PER_PAGE = 24


def ville_list(request):
    filterset = VilleFilter(request.GET or None, queryset=selectors.villes_list())
    page, querystring = paginate(request, filterset.qs, per_page=TOWNS_PER_PAGE)
    context = {"filter": filterset, "villes": page.object_list, "page": page, "querystring": querystring}
    return render(request, "villes/ville_list.html", context)


def ville_detail(request, slug: str):
    # Reference data about towns is public: every visitor may see every town.
    ville = get_object_or_404(Ville.objects.prefetch_related("programmes"), slug=slug)
    context = {
        "ville": ville,
        "missions": list(selectors.ville_missions(ville=ville)) if request.user.is_authenticated else [],
        "missions_reservees": not request.user.is_authenticated and selectors.ville_missions(ville=ville).exists(),
        "sections": town_sections(ville=ville, user=request.user),
        "suivi": is_following(user=request.user, target=ville),
    }
    return render(request, "villes/ville_detail.html", context)


# The map of France is reference data, the same for every visitor: the page keeps its drawing and
# list (101 départements, their counts and labels placed) for an hour, like the filters' choices.
CARTE_FRANCE_SECONDS = 3600


def ville_map(request):
    """France by département: how many towns each has; each leads to its own map."""
    carte = SimpleLazyObject(lambda: carte_france(selectors.departement_comptes()))  # drawn when not kept
    return render(request, "villes/ville_map.html", {"carte": carte, "carte_secondes": CARTE_FRANCE_SECONDS})


def ville_map_departement(request, code: str):
    """One département: its towns on the map, and their list (the map's accessible alternative)."""
    if code not in contours().departements:
        raise Http404
    carte = carte_departement(code, selectors.villes_of_departement(code=code))
    return render(request, "villes/ville_map_departement.html", {"carte": carte})


@login_required
def member_directory(request):
    filterset = MembreFilter(request.GET or None, queryset=selectors.members_directory())
    page, querystring = paginate(request, filterset.qs, per_page=MEMBERS_PER_PAGE)
    context = {"filter": filterset, "membres": page.object_list, "page": page, "querystring": querystring}
    return render(request, "villes/user_directory.html", context)


INVITATIONS_PER_PAGE = 25
BATCH_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
BATCH_SALT = "villes.invitation-import"
BATCH_MAX_AGE = 2 * 3600


def _organisation_suggestions() -> list[dict]:
    """What the organisation field offers while staff type: organisations, then the region's EPCIs."""
    organisations = selectors.organisations_known()
    known = {o.nom.casefold() for o in organisations} | {o.siren for o in organisations if o.siren}
    suggestions = [{"nom": o.nom, "detail": o.sigle or o.get_type_display(), "existante": True} for o in organisations]
    for epci in selectors.intercommunalites():
        if epci.nom.casefold() not in known and epci.siren not in known:
            communes = ", ".join(epci.communes)
            suggestions.append({"nom": epci.nom, "detail": _("intercommunalité : %(c)s") % {"c": communes}})
    return suggestions


@equipe_required
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.InvitationPlan(
            email=data["email"],
            role=data["role"],
            organisation=data["organisation"],
            villes=data["villes"] or [],
            intitule=data["intitule"],
            prenom=data["prenom"],
            nom=data["nom"],
            fonction=data["fonction"],
            message=data["message"],
        )
        try:
            invitation = services.invitation_create_with_missions(actor=request.user, plan=plan)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
            return redirect("villes:invitation-list")
    context = {"form": form, "organisations": _organisation_suggestions()}
    return render(request, "villes/invitation_form.html", context)


@equipe_required
@require_GET
def invitation_list(request):
    etat = "expirees" if request.GET.get("etat") == "expirees" else "en_attente"
    page, _querystring = paginate(request, selectors.invitations_outstanding(etat=etat), per_page=INVITATIONS_PER_PAGE)
    context = {
        "page": page,
        "invitations": page.object_list,
        "etat": etat,
        "querystring": f"etat={etat}",
        "validite": settings.INVITATION_VALIDITY_DAYS,
    }
    return render(request, "villes/invitation_list.html", context)


def _invitation_action(request, pk: int, action, success: str):
    invitation = get_object_or_404(Invitation.objects.outstanding(), pk=pk)
    try:
        action(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success % {"email": invitation.email})
    etat = "expirees" if request.POST.get("etat") == "expirees" else "en_attente"
    return redirect(f"{reverse('villes:invitation-list')}?etat={etat}")


@equipe_required
@require_POST
def invitation_resend(request, pk: int):
    return _invitation_action(
        request,
        pk,
        comptes_services.invitation_resend,
        _("Nouveau lien envoyé à %(email)s ; le précédent ne fonctionne plus."),
    )


@equipe_required
@require_POST
def invitation_revoke(request, pk: int):
    return _invitation_action(
        request, pk, comptes_services.invitation_revoke, _("L'invitation de %(email)s est révoquée.")
    )


def _preview(request, batch, *, message: str, text: str, warning: str = ""):
    payload = signing.dumps(
        {"nom": batch.filename, "csv": text, "message": message, "prets": batch.fingerprint},
        salt=BATCH_SALT,
        compress=True,
    )
    context = {"batch": batch, "payload": payload, "message": message, "warning": warning}
    return render(request, "villes/invitation_import_preview.html", context)


@equipe_required
@require_http_methods(["GET", "POST"])
def invitation_import(request):
    """Invite many people from a CSV file: upload, preview every line, then confirm."""
    if request.method == "POST" and "payload" in request.POST:
        return _invitation_import_confirm(request)
    form = InvitationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        data = upload.read()
        batch = batch_read(data, filename=upload.name)
        if batch.problems:
            for problem in batch.problems:
                form.add_error("fichier", problem)
        else:
            text = data.decode("utf-8-sig") if batch.encoding == "UTF-8" else data.decode("cp1252")
            return _preview(request, batch, message=form.cleaned_data["message"], text=text)
    return render(request, "villes/invitation_import.html", {"form": form, "columns": BATCH_COLUMNS})


def _invitation_import_confirm(request):
    try:
        payload = signing.loads(request.POST["payload"], salt=BATCH_SALT, max_age=BATCH_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("Cet aperçu a expiré : déposez le fichier à nouveau."))
        return redirect("villes:invitation-import")
    batch = batch_read(payload["csv"].encode("utf-8"), filename=payload["nom"])
    if batch.problems or batch.fingerprint != payload["prets"] or not batch.ready:
        warning = _(
            "Rien n'a été envoyé : la situation a changé depuis l'aperçu (ces invitations sont peut-être déjà "
            "parties). Voici l'aperçu à jour."
        )
        return _preview(request, batch, message=payload["message"], text=payload["csv"], warning=warning)
    try:
        invitations = services.invitations_send(actor=request.user, plans=batch.plans(message=payload["message"]))
    except (ValidationError, IntegrityError):
        warning = _("Rien n'a été envoyé : ces invitations viennent d'être envoyées par ailleurs.")
        return _preview(
            request,
            batch_read(payload["csv"].encode("utf-8"), filename=payload["nom"]),
            message=payload["message"],
            text=payload["csv"],
            warning=warning,
        )
    count = len(invitations)
    messages.success(
        request,
        ngettext("%(n)s invitation envoyée.", "%(n)s invitations envoyées.", count) % {"n": count},
    )
    return redirect("villes:invitation-list")


@equipe_required
@require_GET
def invitation_import_template(request):
    response = HttpResponse(TEMPLATE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="invitations-modele.csv"'
    return response


def ville_choices(request):
    """Suggestions of the town picker (JSON): towns matching ``q``; with ``contenu``, only those
    with content of that kind the visitor may see, with their number."""
    contenu = request.GET.get("contenu") or None
    if contenu is not None and pickers.town_content(contenu) is None:
        raise Http404
    query = request.GET.get("q", "")[:80]
    results = pickers.suggest(query=query, user=request.user, content_key=contenu)
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_GET
def departement_choices(request):
    """Suggestions of the département box of the filters (JSON): reference data, public."""
    return listes.suggestions_response(selectors.departements(), request.GET.get("q", ""))
