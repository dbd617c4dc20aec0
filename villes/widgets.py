"""The town picker's widget: a text box (and, for several towns, the chosen ones as checked
boxes), which ``static/js/ville-picker.js`` turns into an accessible combobox."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from . import pickers
from .models import Ville


class VillePicker(forms.Widget):
    template_name = "villes/widgets/ville_picker.html"

    def __init__(self, *, multiple: bool = False, contenu: str | None = None, attrs=None):
        super().__init__(attrs)
        self.multiple = multiple
        self.contenu = contenu

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def use_required_attribute(self, initial):
        return False  # chosen towns are checked boxes: an empty text box may still be a full answer

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def _chips_and_text(self, value) -> tuple[list[tuple[str, str]], str]:
        """The towns already chosen (code, label) and the text still to resolve."""
        values = value if isinstance(value, list | tuple) else [value] if value else []
        villes = [v for v in values if isinstance(v, Ville)]
        pks = [v for v in values if isinstance(v, int)]
        texts = [str(v) for v in values if isinstance(v, str) and v.strip()]
        codes = [t for t in pickers.tokens(texts) if pickers.INSEE_RE.match(t)]
        if pks or codes:
            villes += list(Ville.objects.filter(pk__in=pks) | Ville.objects.filter(code_insee__in=codes))
        chips = []
        for ville in villes:
            if (ville.code_insee, pickers.label(ville)) not in chips:
                chips.append((ville.code_insee, pickers.label(ville)))
        rest = [t for t in pickers.tokens(texts) if not pickers.INSEE_RE.match(t)]
        return chips, " ; ".join(rest)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        source = reverse("villes:ville-choices")
        if self.contenu:
            source += "?" + urlencode({"contenu": self.contenu})
        if self.multiple:
            chips, text = self._chips_and_text(value)
        else:
            chips, text = [], pickers.label(value) if isinstance(value, Ville) else (value or "")
        context["widget"].update(
            {"multiple": self.multiple, "source": source, "chips": chips, "text": text, "contenu": self.contenu or ""}
        )
        return context
