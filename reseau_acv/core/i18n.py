"""The French plural rule for the interface's own strings.

Our source strings are French and have no catalog. For a message found in no catalog, Django
picks the singular only when n == 1 — the English rule — which writes « 0 réponses ». French
takes the singular for 0 and 1 (« 0 réponse », « 1 réponse », « 2 réponses »).
:func:`use_french_plural_rule` makes Django apply that rule to untranslated messages;
translated ones (Django's own, or a future catalog) keep their catalog's rule.
"""

from __future__ import annotations

from django.utils.translation import trans_real


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
