"""French rules Django does not apply by itself: plurals of our own strings, « 1er » of a month.

Our source strings are French and have no catalog. For a message found in no catalog, Django
picks the singular only when n == 1 — the English rule — which writes « 0 réponses ». French
takes the singular for 0 and 1 (« 0 réponse », « 1 réponse », « 2 réponses »).
:func:`use_french_plural_rule` makes Django apply that rule to untranslated messages;
translated ones (Django's own, or a future catalog) keep their catalog's rule.
"""

from __future__ import annotations

from django.utils import dateformat
from django.utils.translation import get_language, trans_real


def french_plural(n) -> bool:
    """True when French uses the plural form for ``n``: from 2 on."""
    try:
        return abs(n) > 1
    except TypeError:
        return True


def _ngettext(self, msgid1: str, msgid2: str, n) -> str:
    try:
        return self._catalog.plural(msgid1, n)
    except KeyError:
        if self._fallback:
            return self._fallback.ngettext(msgid1, msgid2, n)
        return msgid2 if french_plural(n) else msgid1


def use_french_plural_rule() -> None:
    """Called once, from the core app's ``ready()``."""
    trans_real.DjangoTranslation.ngettext = _ngettext


_day_of_month = dateformat.DateFormat.j


def _j(self) -> str:
    day = _day_of_month(self)
    if day == 1 and (get_language() or "").startswith("fr"):
        return "1er"
    return day


def use_french_day_ordinal() -> None:
    """« le 1er octobre », not « le 1 octobre »: the format character ``j`` (day of the month) says
    « 1er » in French. Called once, from the core app's ``ready()``; every ``|date`` and
    ``date_format`` of the interface goes through it."""
    dateformat.DateFormat.j = _j
