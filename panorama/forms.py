from django import forms
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.listes import ChoixListeField
from reseau_acv.core.models import Theme
from reseau_acv.core.visibility import Visibilite
from villes.fields import VilleField, VillesField
from villes.models import Programme, Ville

from .models import ArticlePresse, Edition, Source
from .selectors import SOURCE_BOX, source_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ArticleReviewForm(forms.Form):
    """Staff keep or discard an article, correct its tags and write the team's summary."""

    resume = forms.CharField(
        label=_("Résumé de l'équipe"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Vos propres mots, en quelques lignes. Ne recopiez jamais le texte de l'article (droit de la presse)."
        ),
    )
    villes = VillesField(label=_("Villes"), required=False, queryset=Ville.objects.filter(ville_appui=False))
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"), queryset=Theme.objects.order_by("ordre"), required=False, widget=forms.CheckboxSelectMultiple
    )
    visibilite = forms.ChoiceField(label=_("Visible par"), choices=Visibilite.choices, initial=Visibilite.PARTENAIRES)

    @classmethod
    def for_article(cls, article: ArticlePresse, data=None):
        return cls(
            data,
            initial={
                "resume": article.resume,
                "villes": list(article.villes.all()),
                "themes": [t.pk for t in article.themes.all()],
                "visibilite": article.visibilite,
            },
            prefix=f"a{article.pk}",
        )


class ArticleSuggestForm(forms.Form):
    """A member suggests an article the feeds cannot see (paywalled regional press)."""

    titre = forms.CharField(label=_("Titre de l'article"), max_length=500)
    source = ChoixListeField(
        label=_("Source"),
        choices=source_choices,
        help_text=_("Tapez le nom du journal ou de la radio, puis choisissez."),
        **SOURCE_BOX,
    )
    publie_le = forms.DateField(label=_("Date de parution"), widget=DateInput())
    url = forms.URLField(label=_("Lien vers l'article"), max_length=1000, assume_scheme="https")

    def clean_source(self) -> Source | None:
        code = self.cleaned_data["source"]
        return Source.objects.filter(pk=code).first() if code else None


class RegleForm(forms.Form):
    motif = forms.CharField(
        label=_("Mot-clé ou expression"),
        max_length=120,
        help_text=_("Majuscules et accents sont ignorés ; « * » en fin de mot accepte toutes les terminaisons."),
    )
    theme = forms.ModelChoiceField(label=_("Thème"), queryset=Theme.objects.order_by("ordre"), required=False)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all(), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("theme") and not data.get("programme"):
            raise forms.ValidationError(_("Choisissez un thème ou un programme."))
        return data


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["titre", "debut", "fin", "introduction", "visibilite", "regroupement"]
        widgets = {
            "debut": DateInput(),
            "fin": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 6}),
            "regroupement": forms.RadioSelect,
        }
        help_texts = {
            "regroupement": _("Chaque article paraît une fois, sous sa première ville (ou son premier thème)."),
        }

    def clean(self):
        data = super().clean()
        if data.get("debut") and data.get("fin") and data["fin"] < data["debut"]:
            raise forms.ValidationError(_("La fin de la période précède son début."))
        return data


class AbonnementForm(forms.Form):
    actif = forms.BooleanField(label=_("Recevoir chaque édition du panorama par courriel"), required=False)


class CurationFilterForm(forms.Form):
    """The curation queue's filters: a town with the town picker (towns with articles waiting), a theme, a source."""

    ville = VilleField(label=_("Ville"), required=False, contenu="presse-a-trier")
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)

    def __init__(self, data=None, *, choices: dict):
        super().__init__(data)
        self._objects = {
            "theme": {t.slug: t for t in choices["themes"]},
            "source": {str(s.pk): s for s in choices["sources"]},
        }
        empty = {"theme": _("Tous les thèmes"), "source": _("Toutes les sources")}
        for name, objects in self._objects.items():
            self.fields[name].choices = [("", empty[name]), *[(key, str(obj)) for key, obj in objects.items()]]
        self.fields["source"].help_text = _("Les sources qui ont des articles à trier (les 50 qui en ont le plus).")

    def clean(self):
        data = super().clean()
        return {"ville": data.get("ville")} | {
            name: self._objects[name].get(data.get(name) or "") for name in self._objects
        }
