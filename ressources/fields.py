"""Choosing resources of the library in a form — a meeting's materials — without a ``<select>`` of
every resource (50,000 at national scale).

Without JavaScript the visitor types titles (or numbers, « n° 123 »), separated by « ; »; the
server finds each among the resources the visitor may see, and asks again when a title is
unknown or matches several. Resources already chosen show as checked boxes (unchecking one
removes it). With JavaScript the text box becomes the same accessible combobox as the town
picker (``static/js/ville-picker.js``), fed by ``/ressources/choix/?q=…``, and each choice adds one
more checked box.

    materiaux = RessourcesField(label=_("supports"), required=False)
    form.fields["materiaux"].queryset = Ressource.objects.visible_to(user)   # what may be chosen
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Ressource

NUMBER_RE = re.compile(r"^(?:n°\s*)?(\d{1,10})$", re.IGNORECASE)
SUGGESTIONS = 15


def label(ressource: Ressource) -> str:
    return f"{ressource.titre} (n° {ressource.pk})"


def tokens(values) -> list[str]:
    parts = []
    for value in values:
        parts += [p.strip() for p in str(value).split(";") if p.strip()]
    return parts


def suggest(*, queryset: QuerySet[Ressource], query: str) -> list[dict]:
    """What the combobox offers for ``query``: the newest resources whose title holds every word."""
    words = query.split()
    if not words or len(query.strip()) < 2:
        return []
    found = queryset
    number = NUMBER_RE.match(query.strip())
    if number:
        found = found.filter(pk=int(number.group(1)))
    else:
        for word in words[:6]:
            found = found.filter(titre__icontains=word)
    rows = found.order_by("-cree_le").values("pk", "titre", "type", "visibilite")[:SUGGESTIONS]
    types, levels = dict(Ressource.Type.choices), dict(Ressource._meta.get_field("visibilite").choices)
    return [
        {
            "code": str(row["pk"]),
            "label": f"{row['titre']} (n° {row['pk']})",
            "compte": f"{types.get(row['type'], row['type'])}, {levels.get(row['visibilite'], row['visibilite'])}",
        }
        for row in rows
    ]


class RessourcePicker(forms.Widget):
    """A text box and the chosen resources as checked boxes; ``ville-picker.js`` enhances it."""

    template_name = "ressources/widgets/ressource_picker.html"

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def use_required_attribute(self, initial):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = value if isinstance(value, list | tuple) else [value] if value else []
        chosen = [v for v in values if isinstance(v, Ressource)]
        ids = [v for v in values if isinstance(v, int)]
        texts = tokens(v for v in values if isinstance(v, str))
        ids += [int(m.group(1)) for t in texts if (m := NUMBER_RE.match(t))]
        if ids:
            chosen += list(self.choices_queryset.filter(pk__in=ids))
        seen, chips = set(), []
        for ressource in chosen:
            if ressource.pk not in seen:
                seen.add(ressource.pk)
                chips.append((str(ressource.pk), label(ressource)))
        rest = [t for t in texts if not NUMBER_RE.match(t)]
        context["widget"].update(
            {
                "multiple": True,
                "source": reverse("ressources:ressource-choices"),
                "chips": chips,
                "text": " ; ".join(rest),
            }
        )
        return context


class RessourcesField(forms.Field):
    """Several resources among ``queryset`` (set it to what the user may see)."""

    widget = RessourcePicker
    default_error_messages = {
        "unknown": _("« %(texte)s » : aucune ressource de ce titre. Tapez quelques mots du titre ou son numéro."),
        "ambiguous": _("« %(texte)s » : plusieurs ressources (%(exemples)s) : tapez le numéro de celle à joindre."),
    }

    def __init__(self, *, queryset: QuerySet[Ressource] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Ressource.objects.none()

    @property
    def queryset(self) -> QuerySet[Ressource]:
        return self._queryset

    @queryset.setter
    def queryset(self, value: QuerySet[Ressource]) -> None:
        self._queryset = value
        self.widget.choices_queryset = value

    def prepare_value(self, value):
        if isinstance(value, QuerySet):
            return list(value)
        return value

    def to_python(self, value) -> list[Ressource]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        ids, errors, found = set(), [], []
        for text in tokens(values):
            number = NUMBER_RE.match(text)
            if number:
                ids.add(int(number.group(1)))
                continue
            matches = list(self.queryset.filter(Q(titre__iexact=text)).only("pk", "titre")[:6])
            if not matches:
                matches = list(self.queryset.filter(titre__icontains=text).only("pk", "titre")[:6])
            if len(matches) == 1:
                found.append(matches[0])
            elif not matches:
                errors.append(ValidationError(self.error_messages["unknown"], code="unknown", params={"texte": text}))
            else:
                examples = ", ".join(label(r) for r in matches[:5])
                errors.append(
                    ValidationError(
                        self.error_messages["ambiguous"], code="ambiguous", params={"texte": text, "exemples": examples}
                    )
                )
        if ids:
            by_id = {r.pk: r for r in self.queryset.filter(pk__in=ids)}
            missing = sorted(ids - set(by_id))
            if missing:
                errors.append(
                    ValidationError(
                        ngettext(
                            "Aucune ressource visible ne porte le numéro %(numeros)s.",
                            "Aucune ressource visible ne porte les numéros %(numeros)s.",
                            len(missing),
                        ),
                        code="unknown",
                        params={"numeros": ", ".join(str(n) for n in missing)},
                    )
                )
            found += list(by_id.values())
        if errors:
            raise ValidationError(errors)
        unique = {r.pk: r for r in found}
        return list(unique.values())

    def validate(self, value) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data) -> bool:
        initial_ids = {getattr(r, "pk", r) for r in (initial or [])}
        try:
            return initial_ids != {r.pk for r in self.to_python(data)}
        except ValidationError:
            return True
