from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reseau_acv.core.permissions import equipe_required

from . import selectors, services
from .carte import town_map
from .filters import MembreFilter, VilleFilter
from .forms import InvitationMissionsForm
from .models import Ville
from .sections import town_sections


def ville_list(request):
    filterset = VilleFilter(request.GET or None, queryset=selectors.villes_list())
    villes = list(filterset.qs)
    return render(request, "villes/ville_list.html", {"filter": filterset, "villes": villes})


def ville_detail(request, slug: str):
    # Reference data about towns is public: every visitor may see every town.
    ville = get_object_or_404(Ville.objects.prefetch_related("programmes"), slug=slug)
    context = {
        "ville": ville,
        "missions": list(selectors.ville_missions(ville=ville)) if request.user.is_authenticated else [],
        "sections": town_sections(ville=ville, user=request.user),
    }
    return render(request, "villes/ville_detail.html", context)


def ville_map(request):
    villes = selectors.villes_for_map()
    return render(request, "villes/ville_map.html", {"map": town_map(villes), "villes": villes})


@login_required
def member_directory(request):
    filterset = MembreFilter(request.GET or None, queryset=selectors.members_directory())
    return render(request, "villes/user_directory.html", {"filter": filterset, "membres": list(filterset.qs)})


@equipe_required
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    form = InvitationMissionsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create_with_missions(
                actor=request.user,
                email=data["email"],
                role=data["role"],
                organisation=data["organisation"],
                villes=list(data["villes"]),
                intitule=data["intitule"],
                fonction=data["fonction"],
                message=data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
            return redirect("villes:invitation-create")
    return render(request, "villes/invitation_form.html", {"form": form})
