from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reseau_acv.core.permissions import is_equipe

from . import services
from .forms import InvitationAcceptForm, ProfileForm
from .models import User


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """Follow an invitation link: set a name and a password, arrive signed in."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as error:
        return render(request, "comptes/invitation_invalid.html", {"reason": str(error)}, status=410)
    form = InvitationAcceptForm(
        request.POST or None,
        email=invitation.email,
        initial={"first_name": invitation.prenom, "last_name": invitation.nom},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationError as error:
            return render(request, "comptes/invitation_invalid.html", {"reason": str(error)}, status=410)
        messages.success(request, _("Bienvenue dans le réseau ! Votre compte est créé."))
        return perform_login(request, user, redirect_url=settings.INVITATION_ACCEPT_REDIRECT_URL)
    return render(request, "comptes/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    user = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                actor=user,
                user=user,
                data={f: form.cleaned_data[f] for f in ProfileForm.Meta.fields},
                photo=form.cleaned_data.get("photo_upload"),
                remove_photo=form.cleaned_data.get("remove_photo", False),
            )
        except ValidationError as error:
            form.add_error("photo_upload", error)
        else:
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("comptes:profile-edit")
    return render(request, "comptes/user_form.html", {"form": form})


@login_required
def photo(request, pk: int):
    """A member's photo, for signed-in members only: the directory's people, or oneself (staff: anyone)."""
    queryset = User.objects.all() if pk == request.user.pk or is_equipe(request.user) else User.objects.in_directory()
    member = get_object_or_404(queryset, pk=pk)
    if not member.photo:
        raise Http404
    response = FileResponse(member.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
