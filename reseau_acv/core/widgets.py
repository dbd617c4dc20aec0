"""Form widgets shared by the apps."""

from __future__ import annotations

from django import forms


class ListeSelect(forms.Select):
    """A list whose options are written by one loop of its own template, not by one template (and
    its attributes' template) per option: a list's templates otherwise cost most of a page's time
    (the 18 régions; longer lists are typed in a box, :mod:`reseau_acv.core.listes`). Same HTML."""

    template_name = "core/widgets/liste_select.html"
