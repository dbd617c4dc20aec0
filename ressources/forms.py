"""Forms of the library. Views pass their cleaned data to the services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import Theme
from villes.fields import VilleField, VillesField

from .fields import RessourcesField
from .models import Question, Ressource, RetourExperience
from .uploads import verify_upload

ACCEPT = ".pdf,.odt,.ods,.odp,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.webp,.gif,.csv,.txt"


# What « Markdown. » (the models' help text) means for a member who writes: shown under each text box.
MARKDOWN_AIDE = _(
    "Mise en forme\u00a0: **gras**, *italique*, un tiret en début de ligne pour une liste, "
    "[texte du lien](https://adresse) pour un lien."
)


def _explain_markdown(form) -> None:
    for field in form.fields.values():
        if str(field.help_text) == "Markdown.":
            field.help_text = MARKDOWN_AIDE


class RessourceForm(forms.ModelForm):
    fichier = forms.FileField(
        label=_("Fichier"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    lien = forms.URLField(label=_("Lien"), required=False, max_length=500, assume_scheme="https")
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"), queryset=Theme.objects.order_by("ordre"), required=False, widget=forms.CheckboxSelectMultiple
    )
    villes = VillesField(label=_("Villes concernées"), required=False)

    class Meta:
        model = Ressource
        fields = ["titre", "type", "resume", "corps", "lien", "programme", "source", "date_document", "visibilite"]
        widgets = {
            "resume": forms.Textarea(attrs={"rows": 3}),
            "corps": forms.Textarea(attrs={"rows": 10}),
            "date_document": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _explain_markdown(self)
        self.fields["fichier"].help_text = _(
            "PDF, document bureautique (odt, ods, odp, docx, xlsx, pptx), image, CSV ou texte, %(max)s au plus. "
            "Un nouveau fichier devient une nouvelle version : les précédentes restent consultables."
        ) % {"max": filesizeformat(settings.UPLOAD_MAX_BYTES)}

    def clean_fichier(self):
        fichier = self.cleaned_data.get("fichier")
        if fichier:
            verify_upload(fichier)
        return fichier or None

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("fichier")) or bool(self.instance.pk and self.instance.fichier)
        if not has_file and not cleaned.get("lien") and not self.errors.get("fichier"):
            raise forms.ValidationError(_("Joignez un fichier ou indiquez un lien."))
        return cleaned


class RetourForm(forms.ModelForm):
    ville = VilleField(label=_("Ville"))
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"), queryset=Theme.objects.order_by("ordre"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = RetourExperience
        fields = [
            "titre",
            "ville",
            "contexte",
            "difficulte",
            "type_difficulte",
            "leviers",
            "type_levier",
            "resultat",
            "partenaires",
            "contacts",
            "visibilite",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in ("contexte", "difficulte", "leviers", "resultat", "partenaires", "contacts")
        }

    def __init__(self, *args, ressources_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        _explain_markdown(self)
        # Among every published resource the member may see (50,000 at national scale): a picker, not a <select>.
        self.fields["ressources"] = RessourcesField(
            label=_("Ressources jointes"),
            queryset=ressources_qs if ressources_qs is not None else Ressource.objects.none(),
            required=False,
            help_text=_(
                "Tapez quelques mots du titre (ou son numéro, «\u00a0n° 123\u00a0») et choisissez\u00a0; "
                "plusieurs ressources se séparent par «\u00a0;\u00a0»."
            ),
        )
        if self.instance.pk:
            self.fields["ressources"].initial = list(self.instance.ressources.values_list("pk", flat=True))


class QuestionForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"), queryset=Theme.objects.order_by("ordre"), required=False, widget=forms.CheckboxSelectMultiple
    )
    villes = VillesField(label=_("Villes"), required=False)

    class Meta:
        model = Question
        fields = ["titre", "corps", "visibilite"]
        widgets = {"corps": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _explain_markdown(self)
        self.fields["themes"].help_text = _(
            "Les thèmes font connaître la question aux membres qui les suivent et trouvent qui pourrait répondre."
        )


class MessageForm(forms.Form):
    corps = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text=_(
            "Pour prévenir un membre, écrivez @ suivi de son prénom et de son nom (par exemple @Marie Dupont) : "
            "il est notifié s'il peut voir cette page."
        ),
    )

    def __init__(self, *args, mentions_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if mentions_url:
            # static/js/mentions.js suggests members as one types « @Mar… »; without it, typing the name works.
            self.fields["corps"].widget.attrs["data-mentions-url"] = mentions_url


class MotifForm(forms.Form):
    motif = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


# The reasons staff give most often for sending a contribution back; « autre » asks for a sentence.
RAISONS_RENVOI = [
    ("incomplet", _("Document incomplet ou illisible : complétez-le ou déposez une version lisible.")),
    ("doublon", _("Doublon : cette ressource existe déjà dans la bibliothèque.")),
    ("visibilite", _("Visibilité à revoir : le document contient des informations à ne pas diffuser à ce niveau.")),
    ("description", _("Titre ou résumé à préciser, pour que les membres la trouvent et sachent ce qu'elle contient.")),
    ("hors_sujet", _("Hors du champ du réseau (la revitalisation des centres-villes et des centres-bourgs).")),
    ("autre", _("Autre motif, précisé ci-dessous.")),
]


class RenvoiForm(forms.Form):
    """Sending back: a reason from the list, and a sentence for the author if needed.

    The older single ``motif`` field (free text) is still accepted."""

    raison = forms.ChoiceField(
        label=_("Motif du renvoi"), choices=RAISONS_RENVOI, required=False, widget=forms.RadioSelect
    )
    precision = forms.CharField(
        label=_("Précision pour l'auteur (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    motif = forms.CharField(required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        raison, precision = data.get("raison"), (data.get("precision") or "").strip()
        if raison == "autre" and not precision:
            self.add_error("precision", _("Précisez le motif pour l'auteur."))
        elif not raison and not precision and not (data.get("motif") or "").strip():
            self.add_error("raison", _("Choisissez un motif de renvoi."))
        return data

    @property
    def texte(self) -> str:
        """What the author reads: the reason, then the sentence added by staff."""
        data = self.cleaned_data
        parts = [str(dict(RAISONS_RENVOI)[data["raison"]]) if data.get("raison") not in ("", None, "autre") else ""]
        parts += [(data.get("precision") or "").strip(), (data.get("motif") or "").strip()]
        return "\n\n".join(part for part in parts if part)
