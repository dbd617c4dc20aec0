"""Form fields that choose towns with the town picker: one (:class:`VilleField`) or several
(:class:`VillesField`), among the 1,850 towns and communes, without a ``<select>``.

Without JavaScript the visitor types a name, « Nom (dép.) » or an INSEE code (several,
separated by « ; », in the multiple field), and the server resolves them; a name several
communes share asks for the département. Towns already chosen show as checked boxes
(unchecking one removes it). With JavaScript the text box becomes an accessible combobox
(GOV.UK ``accessible-autocomplete``) that suggests towns as one types and adds each choice as
one more checked box.

    from villes.fields import VilleField, VillesField

    villes = VillesField(label=_("Villes concernées"), required=False)        # a form: every town
    ville = VilleField(label=_("Ville"), required=False, contenu="ressources")  # a filter: towns with content
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import pickers
from .models import Ville
from .widgets import VillePicker


def _errors(resolution: pickers.Resolution) -> list[ValidationError]:
    errors = []
    for token in resolution.unknown:
        errors.append(
            ValidationError(
                _("« %(nom)s » : aucune ville ni commune de ce nom. Vérifiez l'orthographe ou tapez le code INSEE."),
                code="unknown",
                params={"nom": token},
            )
        )
    for token, villes in resolution.ambiguous.items():
        shown = ", ".join(pickers.label(v) for v in villes[:6])
        errors.append(
            ValidationError(
                ngettext(
                    "« %(nom)s » : %(n)d commune porte ce nom (%(villes)s) : précisez le département.",
                    "« %(nom)s » : %(n)d communes portent ce nom (%(villes)s) : précisez le département "
                    "entre parenthèses, par exemple « %(exemple)s ».",
                    len(villes),
                ),
                code="ambiguous",
                params={"nom": token, "n": len(villes), "villes": shown, "exemple": pickers.label(villes[0])},
            )
        )
    return errors


class _PickerMixin:
    multiple = False

    def __init__(self, *, queryset: QuerySet[Ville] | None = None, contenu: str | None = None, **kwargs):
        self.queryset = queryset if queryset is not None else Ville.objects.all()
        kwargs.setdefault("widget", VillePicker(multiple=self.multiple, contenu=contenu))
        kwargs.setdefault(
            "help_text",
            _("Tapez le nom ou le code INSEE, puis choisissez. Plusieurs : séparez-les par « ; ».")
            if self.multiple
            else _("Tapez le nom ou le code INSEE de la ville ou de la commune."),
        )
        super().__init__(**kwargs)

    def _resolve(self, values: list[str]) -> list[Ville]:
        resolution = pickers.resolve(values, queryset=self.queryset)
        errors = _errors(resolution)
        if errors:
            raise ValidationError(errors)
        return resolution.villes


class VilleField(_PickerMixin, forms.Field):
    """One town, typed or chosen; cleans to a :class:`Ville` (or None)."""

    def to_python(self, value):
        if isinstance(value, Ville):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        villes = self._resolve([value])
        if len(villes) > 1:
            raise ValidationError(_("Choisissez une seule ville."), code="one")
        return villes[0]

    def prepare_value(self, value):
        if isinstance(value, int):  # a model form's initial value: the town's id
            value = Ville.objects.filter(pk=value).first()
        return pickers.label(value) if isinstance(value, Ville) else value

    def has_changed(self, initial, data):
        return str(self.prepare_value(initial) or "") != str(data or "")


class VillesField(_PickerMixin, forms.Field):
    """Several towns; cleans to a list of :class:`Ville` (in the order they were chosen)."""

    multiple = True

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        if all(isinstance(v, Ville) for v in value):
            return list(value)
        return self._resolve([str(v) for v in value])

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value):
        return value

    def has_changed(self, initial, data):
        before = {v.code_insee if isinstance(v, Ville) else str(v) for v in initial or []}
        return before != set(pickers.tokens(data or []))
