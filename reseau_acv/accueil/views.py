from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from reseau_acv.core.csv_export import csv_response
from reseau_acv.core.permissions import equipe_required
from villes.models import Programme, Ville

from . import services, stats
from .dashboard import dashboard_panels
from .forms import PreferencesForm
from .models import SECTION_FIELDS
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
