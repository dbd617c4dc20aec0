"""Form widgets shared by the apps."""

from __future__ import annotations

from django import forms


class ListeSelect(forms.Select):
    """A list whose options are written by one loop of its own template, not by one template (and
    its attributes' template) per option: lists that grow with the programme (150 press sources,
    101 départements, 18 régions at national scale) cost their templates most of a page's time
    otherwise. Same HTML."""

    template_name = "core/widgets/liste_select.html"
