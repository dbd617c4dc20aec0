"""Pages of meetings: thin views that fetch through ``visible_to`` and call one service."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reseau_acv.core import notifications
from reseau_acv.core.csv_export import csv_response
from reseau_acv.core.pagination import paginate
from reseau_acv.core.permissions import equipe_required, may_animate
from reseau_acv.core.selectors import is_following
from reseau_acv.core.views import get_visible_or_404

from . import ical, selectors, services
from .filters import RencontreFilter
from .forms import (
    ADD_POINT,
    MateriauForm,
    PointsFormSet,
    PresenceForm,
    RencontreForm,
    points_data,
    shown_as_typed,
    with_one_more_point,
)
from .models import Rencontre
from .permissions import can_see_video_link

AGENDA_PER_PAGE = 20


def rencontre_list(request):
    filterset = RencontreFilter(request.GET, queryset=selectors.rencontres_agenda(user=request.user), request=request)
    page, querystring = paginate(request, filterset.qs, per_page=AGENDA_PER_PAGE)
    context = {
        "filter": filterset,
        "rencontres": page.object_list,
        "page": page,
        "querystring": querystring,
        "reserve_aux_membres": selectors.rencontres_reserved_for_members(user=request.user),
        "reserve_au_reseau": selectors.rencontres_reserved_for_network(user=request.user),
    }
    return render(request, "rencontres/rencontre_list.html", context)


def rencontre_detail(request, pk: int):
    rencontre = get_visible_or_404(selectors.rencontre_detail_queryset(user=request.user), request.user, pk=pk)
    staff = may_animate(request.user)
    notifications.notifications_read_thread(actor=request.user, thread=rencontre)
    context = {
        "rencontre": rencontre,
        "montrer_lien": can_see_video_link(request.user, rencontre, est_inscrit=rencontre.est_inscrit),
        "staff": staff,
        "inscriptions": list(selectors.rencontre_inscriptions(rencontre=rencontre)) if staff else [],
        "materiau_form": MateriauForm(prefix="materiau") if staff else None,
        "now": timezone.now(),
        "suivi": is_following(user=request.user, target=rencontre),
    }
    return render(request, "rencontres/rencontre_detail.html", context)


def _save_rencontre(request, rencontre: Rencontre | None):
    adding_point = request.method == "POST" and ADD_POINT in request.POST
    data = with_one_more_point(request.POST) if adding_point else (request.POST or None)
    form = RencontreForm(data, instance=rencontre, user=request.user)
    has_points = rencontre is not None and rencontre.points.exists()
    formset = PointsFormSet(data, instance=rencontre or Rencontre(), prefix="points", extra=0 if has_points else 1)
    if adding_point:
        shown_as_typed(form, formset)
        messages.info(request, _("Un point est ajouté à l'ordre du jour ; rien n'est encore enregistré."))
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"themes", "materiaux"}}
        kwargs = {
            "actor": request.user,
            "data": data,
            "themes": form.cleaned_data["themes"],
            "materiaux": form.cleaned_data["materiaux"],
            "points": points_data(formset),
        }
        try:
            if rencontre is None:
                rencontre = services.rencontre_create(**kwargs)
            else:
                rencontre = services.rencontre_update(rencontre=rencontre, **kwargs)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La rencontre est enregistrée."))
            return redirect(rencontre)
    context = {"form": form, "formset": formset, "rencontre": rencontre, "add_point": ADD_POINT}
    return render(request, "rencontres/rencontre_form.html", context)


@equipe_required
@require_http_methods(["GET", "POST"])
def rencontre_create(request):
    return _save_rencontre(request, None)


@equipe_required
@require_http_methods(["GET", "POST"])
def rencontre_update(request, pk: int):
    return _save_rencontre(request, get_visible_or_404(Rencontre, request.user, pk=pk))


def _staff_action(request, pk: int, action, success: str):
    rencontre = get_visible_or_404(Rencontre, request.user, pk=pk)
    try:
        action(actor=request.user, rencontre=rencontre)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(rencontre)


@equipe_required
@require_POST
def rencontre_publish(request, pk: int):
    return _staff_action(
        request, pk, services.rencontre_publish, _("La rencontre est publiée ; les invitations partent.")
    )


@equipe_required
@require_POST
def rencontre_cancel(request, pk: int):
    return _staff_action(
        request, pk, services.rencontre_cancel, _("La rencontre est annulée ; les inscrits sont prévenus.")
    )


@equipe_required
@require_POST
def rencontre_followup(request, pk: int):
    return _staff_action(
        request, pk, services.rencontre_send_followup, _("Le suivi part aux participants et aux absents inscrits.")
    )


@equipe_required
@require_http_methods(["GET", "POST"])
def rencontre_attendance(request, pk: int):
    rencontre = get_visible_or_404(Rencontre, request.user, pk=pk)
    inscriptions = list(selectors.rencontre_inscriptions(rencontre=rencontre).inscrits())
    form = PresenceForm(request.POST or None, inscriptions=inscriptions)
    if request.method == "POST" and form.is_valid():
        try:
            services.inscription_set_attendance(
                actor=request.user, rencontre=rencontre, presents={int(pk) for pk in form.cleaned_data["presents"]}
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les présences sont enregistrées."))
            return redirect(rencontre)
    return render(
        request,
        "rencontres/rencontre_attendance.html",
        {"rencontre": rencontre, "form": form, "inscriptions": inscriptions},
    )


@equipe_required
@require_POST
def materiau_create(request, pk: int):
    """Staff upload a material from the meeting page; it becomes a resource of the library."""
    rencontre = get_visible_or_404(Rencontre, request.user, pk=pk)
    form = MateriauForm(request.POST, request.FILES, prefix="materiau")
    if form.is_valid():
        try:
            services.rencontre_add_materiau(actor=request.user, rencontre=rencontre, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Le document est ajouté à la rencontre et à la bibliothèque."))
    else:
        messages.error(request, _("Le document n'a pas été ajouté : indiquez un titre et choisissez un fichier."))
    return redirect(rencontre)


@equipe_required
@require_GET
def rencontre_export(request, pk: int):
    """The registrants and their attendance, as CSV (semicolon-separated, for French spreadsheets)."""
    rencontre = get_visible_or_404(Rencontre, request.user, pk=pk)
    header = [
        _("Nom"),
        _("Prénom"),
        _("Adresse e-mail"),
        _("Organisation"),
        _("Fonction"),
        _("Statut"),
        _("Présence"),
        _("Date"),
    ]
    presence = {True: _("présent·e"), False: _("absent·e"), None: ""}
    rows = [
        [
            inscription.membre.last_name,
            inscription.membre.first_name,
            inscription.membre.email,
            inscription.membre.organisation.nom if inscription.membre.organisation_id else "",
            inscription.membre.fonction,
            inscription.get_statut_display(),
            presence[inscription.present],
            timezone.localtime(inscription.cree_le).strftime("%d/%m/%Y %H:%M"),
        ]
        for inscription in selectors.rencontre_inscriptions(rencontre=rencontre)
    ]
    return csv_response(f"rencontre-{rencontre.pk}-inscriptions.csv", [header, *rows])


@require_GET
def rencontre_ics(request, pk: int):
    rencontre = get_visible_or_404(
        selectors.rencontres_agenda(user=request.user).exclude(statut=Rencontre.Statut.BROUILLON), request.user, pk=pk
    )
    body = ical.rencontre_ics(
        rencontre, with_video_link=can_see_video_link(request.user, rencontre, est_inscrit=rencontre.est_inscrit)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rencontre-{rencontre.pk}.ics"'
    return response


@login_required
@require_POST
def inscription_create(request, pk: int):
    rencontre = get_visible_or_404(Rencontre, request.user, pk=pk)
    try:
        inscription = services.inscription_register(actor=request.user, rencontre=rencontre)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if inscription.statut == inscription.Statut.ATTENTE:
            messages.success(request, _("La rencontre est complète : vous êtes sur la liste d'attente."))
        else:
            messages.success(request, _("Vous êtes inscrit·e."))
    return redirect(rencontre)


@login_required
@require_POST
def inscription_delete(request, pk: int):
    rencontre = get_visible_or_404(Rencontre, request.user, pk=pk)
    try:
        services.inscription_withdraw(actor=request.user, rencontre=rencontre)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Votre inscription est annulée."))
    return redirect(rencontre)


INSCRIPTIONS_PER_PAGE = 20


def _inscription_list(request, *, token: str | None = None):
    page, _querystring = paginate(
        request, selectors.user_inscriptions(user=request.user), per_page=INSCRIPTIONS_PER_PAGE
    )
    context = {
        "page": page,
        "inscriptions": page.object_list,
        "flux": selectors.user_flux(user=request.user),
        "flux_url": settings.SITE_URL + reverse("rencontres:flux-detail", kwargs={"token": token}) if token else "",
    }
    return render(request, "rencontres/inscription_list.html", context)


@login_required
@require_GET
def inscription_list(request):
    return _inscription_list(request)


@login_required
@require_POST
def flux_renew(request):
    """Create or renew the private feed; its address is shown on this response only."""
    token = services.flux_renew(actor=request.user)
    messages.success(request, _("Votre nouvelle adresse d'abonnement est prête ; l'ancienne ne fonctionne plus."))
    return _inscription_list(request, token=token)


@login_required
@require_POST
def flux_delete(request):
    services.flux_revoke(actor=request.user)
    messages.success(request, _("Votre adresse d'abonnement est supprimée."))
    return redirect("rencontres:inscription-list")


@require_GET
def flux_detail(request, token: str):
    """The private feed, for calendar apps without a session: the secret token is the key."""
    membre = selectors.flux_owner(token=token)
    if membre is None:
        raise Http404
    services.flux_mark_accessed(membre=membre)
    rencontres = selectors.flux_rencontres(user=membre)
    body = ical.calendar_for(
        rencontres, with_video_link_for={r.pk for r in rencontres}, name=_("Mes rencontres — Réseau ACV")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def pleniere_list(request):
    return render(request, "rencontres/pleniere_list.html", {"annees": selectors.plenieres_years(user=request.user)})


def pleniere_year(request, year: int):
    if not MINYEAR <= year <= MAXYEAR:
        raise Http404
    plenieres = selectors.plenieres_of_year(user=request.user, year=year)
    if not plenieres:
        raise Http404
    context = {"annee": year, "plenieres": plenieres, "annees": selectors.plenieres_years(user=request.user)}
    return render(request, "rencontres/pleniere_year.html", context)
