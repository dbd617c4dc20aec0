"""CSV exports: member-entered text never becomes a spreadsheet formula."""

import csv
import io

import pytest
from django.urls import reverse

from reseau_acv.core.csv_export import csv_cell, csv_response
from tests.factories.comptes import ChefDeProjetFactory
from tests.factories.rencontres import InscriptionFactory, RencontreFactory


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+33 2 54", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_would_be_a_formula_is_written_as_text(typed):
    """Text starting with = + - @ tab or CR gets a leading apostrophe."""
    assert csv_cell(typed) == "'" + typed


def test_numbers_and_ordinary_text_are_left_alone():
    """Numbers (even negative) and ordinary text are written as they are; None is empty."""
    assert [csv_cell(v) for v in [-3, 2.5, "Blois", "", None]] == [-3, 2.5, "Blois", "", ""]


def test_the_response_is_utf8_with_bom_and_semicolons():
    """French spreadsheets open the file as is: BOM, semicolons, attachment name."""
    response = csv_response("export.csv", [["Nom", "Ville"], ["=1+1", "Blois"]])
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert response.content.decode("utf-8").startswith("\ufeffNom;Ville")
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1] == ["'=1+1", "Blois"]


@pytest.mark.django_db
def test_a_member_named_like_a_formula_is_neutralised_in_the_registrations_export(client, equipe):
    """A registrant whose name starts with = appears as text in the meeting's CSV."""
    rencontre = RencontreFactory()
    InscriptionFactory(rencontre=rencontre, membre=ChefDeProjetFactory(last_name='=HYPERLINK("http://evil")'))
    client.force_login(equipe)
    response = client.get(reverse("rencontres:rencontre-export", args=[rencontre.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
