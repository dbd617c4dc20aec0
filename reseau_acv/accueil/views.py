from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from reseau_acv.comptes.models import User
from reseau_acv.core.csv_export import csv_response
from reseau_acv.core.permissions import equipe_required
from villes.models import Programme, Ville

from . import donnees, services, stats
from .dashboard import dashboard_panels
from .forms import AccountDeleteForm, DataRequestForm, DataRequestLookupForm, PreferencesForm
from .models import SECTION_FIELDS, JournalDonnees
from .search import MIN_QUERY_LENGTH, search_all


def home(request):
    """The public presentation of the network and its programmes."""
    context = {
        "programmes": list(Programme.objects.order_by("lancement")),
        "villes_reseau": list(Ville.objects.reseau().order_by("nom")),
        "nb_pvd": Ville.objects.of_programme("pvd").count(),
    }
    return render(request, "accueil/home.html", context)


@login_required
def dashboard(request):
    return render(request, "accueil/dashboard.html", {"panels": dashboard_panels(request.user)})


def search(request):
    """Everyone may search; each group only returns what the visitor may see."""
    query = request.GET.get("q", "").strip()
    groups = search_all(user=request.user, query=query)
    context = {
        "query": query,
        "groups": groups,
        "total": sum(len(results) for _group, results in groups),
        "too_short": bool(query) and len(query) < MIN_QUERY_LENGTH,
    }
    return render(request, "accueil/search.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_edit(request):
    preferences = services.preferences_get(user=request.user)
    form = PreferencesForm(request.POST or None, instance=preferences)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.preferences_update(
            actor=request.user,
            user=request.user,
            frequence=data["frequence"],
            sections={key: data[field] for key, field in SECTION_FIELDS.items()},
            villes=data["villes"],
            themes=data["themes"],
            invitations_rencontres=data["invitations_rencontres"],
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
def animation(request):
    return render(request, "accueil/animation_dashboard.html", {"charts": stats.all_charts()})


@equipe_required
def animation_export(request, key: str):
    chart = stats.build_chart(key)
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
