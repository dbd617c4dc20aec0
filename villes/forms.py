from django import forms
from django.utils.translation import gettext_lazy as _

from reseau_acv.comptes.forms import InvitationForm
from reseau_acv.comptes.models import Role

from .models import Mission, Ville


class InvitationMissionsForm(InvitationForm):
    """The staff invitation form, with the towns a lead will serve."""

    villes = forms.ModelMultipleChoiceField(
        label=_("Villes ou communes (pour un·e chef·fe de projet)"),
        queryset=Ville.objects.order_by("nom"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    intitule = forms.ChoiceField(
        label=_("Mission"), choices=Mission.Intitule.choices, initial=Mission.Intitule.CHEF_ACV
    )

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.CHEF_DE_PROJET and not data.get("villes"):
            self.add_error("villes", _("Choisissez au moins une ville pour un·e chef·fe de projet."))
        return data
