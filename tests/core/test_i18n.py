from datetime import date

import pytest
from django.template import Context, Template
from django.utils.translation import ngettext, override

TEMPLATE = Template(
    "{% load i18n %}{% blocktranslate count n=n %}{{ n }} réponse{% plural %}{{ n }} réponses{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("n", "expected"), [(0, "0 réponse"), (1, "1 réponse"), (2, "2 réponses"), (12, "12 réponses")]
)
def test_templates_count_the_french_way(n, expected):
    """A count in a template says « 0 réponse », « 1 réponse », « 2 réponses »."""
    assert TEMPLATE.render(Context({"n": n})) == expected


def test_python_strings_count_the_french_way():
    """ngettext in code takes the singular for 0 and 1, the plural from 2."""
    assert [ngettext("%(n)s ville", "%(n)s villes", n) % {"n": n} for n in (0, 1, 2)] == [
        "0 ville",
        "1 ville",
        "2 villes",
    ]


def test_djangos_own_translations_are_untouched():
    """A message Django translates itself still uses its catalog."""
    with override("fr"):
        assert ngettext("%(num)d minute", "%(num)d minutes", 0) % {"num": 0} == "0 minute"
        assert ngettext("%(num)d minute", "%(num)d minutes", 3) % {"num": 3} == "3 minutes"


@pytest.mark.parametrize(("day", "expected"), [(1, "1er octobre 2026"), (2, "2 octobre 2026"), (31, "31 octobre 2026")])
def test_the_first_of_the_month_is_written_1er(day, expected):
    """An edition « du 1er octobre 2026 au 31 octobre 2026 », a meeting « le 1er décembre »."""
    page = Template('{{ d|date:"j F Y" }}').render(Context({"d": date(2026, 10, day)}))
    assert page == expected


def test_numeric_dates_keep_their_digits():
    """« 01/10/2026 » and the day as a number elsewhere are untouched."""
    assert Template('{{ d|date:"d/m/Y" }}').render(Context({"d": date(2026, 10, 1)})) == "01/10/2026"
