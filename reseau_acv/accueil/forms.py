from django import forms
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import Theme
from villes.fields import VillesField

from .models import Frequence, Preferences


class PreferencesForm(forms.ModelForm):
    frequence = forms.ChoiceField(
        label=_("Recevoir le résumé des nouveautés"), choices=Frequence.choices, widget=forms.RadioSelect
    )
    villes = VillesField(
        label=_("Villes suivies"),
        required=False,
        help_text=_(
            "La presse qui les cite et les nouvelles questions qui les concernent vous seront signalées, "
            "en plus de vos villes de mission. Les mêmes que dans « Ce que je suis »."
        ),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes suivis"),
        queryset=Theme.objects.order_by("ordre", "nom"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun thème coché : tous les thèmes. Les mêmes que dans « Ce que je suis »."),
    )

    class Meta:
        model = Preferences
        fields = [
            "frequence",
            "section_rencontres",
            "section_ressources",
            "section_questions",
            "section_presse",
        ]


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte et mes données personnelles seront supprimés définitivement."),
    )


class DataRequestLookupForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail du membre"))


class DataRequestForm(forms.Form):
    ACTIONS = [("export", _("Exporter ses données")), ("suppression", _("Supprimer son compte"))]

    membre = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    motif = forms.CharField(
        label=_("Demande du membre"),
        max_length=500,
        help_text=_("Date et moyen de la demande (« courriel du 3 mars 2026 ») : journalisé."),
    )


class ThesaurusForm(forms.Form):
    """An entry of the search thesaurus, and a query to preview what it changes."""

    expressions = forms.CharField(
        label=_("Expressions équivalentes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Une par ligne (ou séparées par « ; ») : un sigle, son développement, des synonymes du métier."),
    )
    actif = forms.BooleanField(label=_("Active"), required=False, initial=True)
    essai = forms.CharField(
        label=_("Recherche à essayer"),
        required=False,
        max_length=200,
        help_text=_("L'aperçu montre ce que cette recherche trouve avec et sans l'entrée."),
    )


class PremiersPasForm(forms.Form):
    """The two questions of a new member's first sign-in: what I follow, and how often I want e-mail."""

    villes = VillesField(
        label=_("Les villes que je suis"),
        required=False,
        help_text=_(
            "Vos villes de mission sont déjà là ; ajoutez-en d'autres en tapant leur nom ou leur code INSEE "
            "(plusieurs : séparez-les par « ; »)."
        ),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Les thèmes que je suis"),
        queryset=Theme.objects.order_by("ordre", "nom"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Le tableau de bord et le résumé vous montrent d'abord ce qui porte sur ces thèmes."),
    )
    frequence = forms.ChoiceField(
        label=_("Le résumé des nouveautés par courriel"),
        choices=Frequence.choices,
        initial=Frequence.HEBDOMADAIRE,
        widget=forms.RadioSelect,
        help_text=_("Les réponses à vos questions et ce qui vous est adressé arrivent à part, tout de suite."),
    )
