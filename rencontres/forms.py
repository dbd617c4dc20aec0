"""Forms of meetings: the staff form with its agenda items, and attendance."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import Theme
from reseau_acv.core.visibility import Visibilite
from ressources.fields import RessourcesField
from ressources.models import Ressource
from villes.fields import VilleField

from .models import PointOrdreDuJour, Rencontre

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class RencontreForm(forms.ModelForm):
    ville = VilleField(label=_("ville d'accueil"), required=False)
    # Among every resource the member may see (50,000 at national scale): a picker, not a <select>.
    materiaux = RessourcesField(label=_("supports et documents"), required=False)
    lien_visio = forms.URLField(
        label=_("lien de visioconférence"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Montré seulement aux personnes inscrites."),
    )

    class Meta:
        model = Rencontre
        fields = [
            "type",
            "titre",
            "resume",
            "debut",
            "fin",
            "format",
            "ville",
            "adresse",
            "lien_visio",
            "visibilite",
            "capacite",
            "date_limite_inscription",
            "themes",
            "ordre_du_jour",
            "compte_rendu",
            "materiaux",
        ]
        widgets = {
            "debut": DateTimeLocalInput(),
            "fin": DateTimeLocalInput(),
            "date_limite_inscription": DateTimeLocalInput(),
            "themes": forms.CheckboxSelectMultiple,
            "resume": forms.Textarea(attrs={"rows": 3}),
            "ordre_du_jour": forms.Textarea(attrs={"rows": 6}),
            "compte_rendu": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("debut", "fin", "date_limite_inscription"):
            self.fields[name].input_formats = [DATETIME_FORMAT]
        self.fields["themes"].queryset = Theme.objects.order_by("ordre", "nom")
        self.fields["materiaux"].queryset = Ressource.objects.visible_to(user).order_by("-cree_le")
        self.fields["materiaux"].help_text = _(
            "Présentations, comptes rendus, photos : des ressources de la bibliothèque, chacune avec sa visibilité. "
            "Tapez quelques mots du titre ou le numéro d'une ressource (plusieurs séparés par « ; »)."
        )

    def clean(self):
        data = super().clean()
        debut, fin = data.get("debut"), data.get("fin")
        if debut and fin and fin <= debut:
            self.add_error("fin", _("La fin doit suivre le début."))
        return data


class PointOrdreDuJourForm(forms.ModelForm):
    class Meta:
        model = PointOrdreDuJour
        fields = ["ordre", "horaire", "titre", "theme", "intervenants"]
        widgets = {"horaire": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        help_texts = {"ordre": _("Vide : à sa place dans la liste.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An untouched new row stays empty (and is ignored), whatever its position.
        self.fields["ordre"].required = False
        if self.instance.pk is None:
            self.fields["ordre"].initial = None


ADD_POINT = "ajouter_point"


class BasePointsFormSet(forms.BaseInlineFormSet):
    """The agenda: the meeting's items, and as many empty rows as staff asked for — one to start
    with when there is none, then one more each time they press « Ajouter un point »."""

    def __init__(self, *args, extra: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra = extra


# An agenda has a few items: a forged TOTAL_FORMS cannot make the page build thousands of forms.
PointsFormSet = forms.inlineformset_factory(
    Rencontre,
    PointOrdreDuJour,
    form=PointOrdreDuJourForm,
    formset=BasePointsFormSet,
    extra=0,
    can_delete=True,
    max_num=40,
    absolute_max=40,
    validate_max=True,
)


def with_one_more_point(data):
    """The submitted data with one more (empty) agenda row, for « Ajouter un point » without JavaScript."""
    data = data.copy()
    try:
        total = int(data.get("points-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    data["points-TOTAL_FORMS"] = str(min(total, 39) + 1)
    return data


def shown_as_typed(*forms_and_formsets) -> None:
    """Redisplay what staff typed without judging it yet: they only asked for another row."""
    for item in forms_and_formsets:
        item.is_valid()
        for form in getattr(item, "forms", [item]):
            form.errors.clear()
        if hasattr(item, "non_form_errors"):
            item.non_form_errors().clear()


def points_data(formset) -> list[dict]:
    """The agenda items the staff kept in the formset, in order."""
    kept = [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("titre")
    ]
    return [
        {
            **{key: data[key] for key in ("horaire", "titre", "theme", "intervenants")},
            "ordre": data["ordre"] if data.get("ordre") is not None else position,
        }
        for position, data in enumerate(kept, start=1)
    ]


class PresenceForm(forms.Form):
    presents = forms.MultipleChoiceField(
        label=_("Personnes présentes"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, inscriptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presents"].choices = [
            (str(i.pk), f"{i.membre}" + (f" — {i.membre.organisation}" if i.membre.organisation_id else ""))
            for i in inscriptions
        ]
        self.initial.setdefault("presents", [str(i.pk) for i in inscriptions if i.present])


class MateriauForm(forms.Form):
    titre = forms.CharField(label=_("Titre du document"), max_length=200)
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[
            (Ressource.Type.PRESENTATION, Ressource.Type.PRESENTATION.label),
            (Ressource.Type.COMPTE_RENDU, Ressource.Type.COMPTE_RENDU.label),
            (Ressource.Type.ETUDE, Ressource.Type.ETUDE.label),
            (Ressource.Type.OUTIL, Ressource.Type.OUTIL.label),
        ],
    )
    visibilite = forms.ChoiceField(label=_("Visible par"), choices=Visibilite.choices, initial=Visibilite.PARTENAIRES)
    fichier = forms.FileField(label=_("Fichier"), help_text=_("PDF, diaporama, tableur ou photo (JPEG, PNG)."))
