"""Staff forms of the directory: inviting one member, or many from a CSV file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reseau_acv.comptes.models import Organisation, Role, User
from reseau_acv.comptes.services import OrganisationDraft

from . import selectors
from .fields import VillesField
from .models import Mission

AUTO_INTITULE = ""
MAX_CSV_BYTES = 1024 * 1024


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    prenom = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    nom = forms.CharField(label=_("Nom"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Rôle"), choices=Role.choices, initial=Role.CHEF_DE_PROJET, widget=forms.RadioSelect
    )
    villes = VillesField(label=_("Villes ou communes (pour un·e chef·fe de projet)"), required=False)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "organisations-connues", "autocomplete": "off"}),
        help_text=_(
            "Les organisations déjà enregistrées et les intercommunalités de la région sont proposées pendant la "
            "saisie. Un·e chef·fe de projet PVD travaille souvent pour l'intercommunalité."
        ),
    )
    organisation_type = forms.ChoiceField(
        label=_("Type de la nouvelle organisation"),
        choices=Organisation.Type.choices,
        initial=Organisation.Type.COLLECTIVITE,
        required=False,
    )
    creer_organisation = forms.BooleanField(
        label=_("Créer cette organisation : elle n'est pas encore enregistrée"), required=False
    )
    intitule = forms.ChoiceField(
        label=_("Intitulé de la mission"),
        choices=[(AUTO_INTITULE, _("Selon le programme de chaque ville (ACV ou PVD)")), *Mission.Intitule.choices],
        required=False,
        initial=AUTO_INTITULE,
    )
    fonction = forms.CharField(
        label=_("Fonction"),
        max_length=150,
        required=False,
        help_text=_("Affichée dans l'annuaire, par exemple « Cheffe de projet Petites villes de demain »."),
    )
    message = forms.CharField(
        label=_("Message personnel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ajouté au courriel d'invitation (facultatif)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_is_new = False

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("Un compte existe déjà pour cette adresse."))
        return email

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.CHEF_DE_PROJET and "villes" in data and not data["villes"]:
            self.add_error("villes", _("Choisissez au moins une ville pour un·e chef·fe de projet."))
        name = (data.get("organisation") or "").strip()
        if name:
            data["organisation"] = self._organisation(name, data)
        return data

    def _organisation(self, name: str, data: dict):
        existing = selectors.organisations_by_name([name])
        if name.casefold() in existing:
            return existing[name.casefold()]
        for epci in selectors.intercommunalites():
            if epci.nom.casefold() == name.casefold():
                return OrganisationDraft(nom=epci.nom, type=Organisation.Type.COLLECTIVITE, siren=epci.siren)
        self.organisation_is_new = True
        if not data.get("creer_organisation"):
            self.add_error(
                "organisation",
                _(
                    "« %(nom)s » n'est pas encore enregistrée. Vérifiez son nom, ou choisissez son type et cochez "
                    "« Créer cette organisation »."
                )
                % {"nom": name},
            )
            return name
        return OrganisationDraft(nom=name, type=data.get("organisation_type") or Organisation.Type.AUTRE)


class InvitationImportForm(forms.Form):
    fichier = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("UTF-8 ou Windows-1252 (le « CSV » d'Excel), virgules ou points-virgules ; 500 lignes au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    message = forms.CharField(
        label=_("Message personnel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ajouté à chaque courriel d'invitation (facultatif)."),
    )

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("Ce fichier dépasse 1 Mio : envoyez les invitations en plusieurs fichiers."))
        return upload
