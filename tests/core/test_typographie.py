"""French typography: « ? ! : ; » and the inside of « » keep their no-break space, so a line never starts with them."""

import importlib.util

import pytest

from reseau_acv.core.visibility import Visibilite
from tests.factories.comptes import ChefDeProjetFactory
from tests.factories.ressources import QuestionFactory
from tests.helpers import ROOT

NBSP = "\u00a0"

_spec = importlib.util.spec_from_file_location("typo_fr", ROOT / "scripts" / "typo_fr.py")
typo_fr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(typo_fr)


@pytest.mark.django_db
def test_the_headings_readers_see_hold_their_punctuation(client):
    """« Qui pourrait répondre ? » and « Cette discussion est fermée : … » never leave « ? » or « : » alone on a line."""
    auteur = ChefDeProjetFactory()
    client.force_login(auteur)
    page = client.get(QuestionFactory(auteur=auteur, visibilite=Visibilite.RESEAU).get_absolute_url()).content.decode()
    assert f"Qui pourrait répondre{NBSP}?</h2>" in page
    assert "répondre ?" not in page
    fermee = QuestionFactory(auteur=auteur, visibilite=Visibilite.RESEAU, fermee=True)
    page = client.get(fermee.get_absolute_url()).content.decode()
    assert f"Cette discussion est fermée{NBSP}: on ne peut plus y répondre." in page


def test_the_fixer_touches_what_readers_see_and_nothing_else():
    """Text, translate literals and blocktranslate bodies get the no-break space; tags, attributes, URLs, CSS and scripts do not."""
    source = (
        '<h2 class="a :b">{% translate "Qui pourrait répondre ?" %}</h2>\n'
        "{% blocktranslate with q=x %}Aperçu pour « {{ q }} » : voilà{% endblocktranslate %}\n"
        '<a href="/r/?q=a b" title="x ; y">{{ v|date:"H : i" }} ; fin</a>\n'
        '<script>const s = "a ? b";</script><style>a :hover { color: red ; }</style>\n'
        '{{ "x" }} ! et <strong>gras</strong> ?'
    )
    fixed = typo_fr.fix_template(source)
    assert fixed == (
        '<h2 class="a :b">{% translate "Qui pourrait répondre\u00a0?" %}</h2>\n'
        "{% blocktranslate with q=x %}Aperçu pour «\u00a0{{ q }}\u00a0»\u00a0: voilà{% endblocktranslate %}\n"
        '<a href="/r/?q=a b" title="x ; y">{{ v|date:"H : i" }}\u00a0; fin</a>\n'
        '<script>const s = "a ? b";</script><style>a :hover { color: red ; }</style>\n'
        '{{ "x" }}\u00a0! et <strong>gras</strong>\u00a0?'
    )
    assert typo_fr.fix_template(fixed) == fixed  # running it twice changes nothing
