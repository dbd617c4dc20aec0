"""Forms of core: a member's e-mail choice per kind of notification."""

from __future__ import annotations

from django import forms

from .models import Envoi
from .notifications import GENRES


class ChoixNotificationsForm(forms.Form):
    """One radio group per kind of notification: at once, in my digest, or never."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for genre in GENRES:
            self.fields[genre.key] = forms.ChoiceField(
                label=genre.label, choices=Envoi.choices, widget=forms.RadioSelect, help_text=genre.help
            )
