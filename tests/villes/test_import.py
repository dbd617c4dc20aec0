import shutil

import pytest
from django.core.management import CommandError, call_command

from villes.models import Programme, Ville
from villes.services import REFERENCE_DIR, villes_import_reference


@pytest.mark.django_db
def test_import_gives_the_network_towns_and_the_pvd_communes():
    """The import brings the 13 network towns and the 99 PVD communes, with their programmes."""
    villes_import_reference()
    assert Ville.objects.reseau().count() == 13
    assert Ville.objects.of_programme("pvd").count() == 99
    assert (
        Ville.objects.of_programme("acv").filter(departement_code__in=["18", "28", "36", "37", "41", "45"]).count()
        == 14
    )
    blois = Ville.objects.get(code_insee="41018")
    assert blois.nom == "Blois"
    assert blois.departement_nom == "Loir-et-Cher"
    assert blois.has_coordinates
    assert Ville.objects.filter(ville_appui=True).get().nom == "Cahors"
    # Every PVD commune has a map point.
    assert not Ville.objects.of_programme("pvd").filter(latitude__isnull=True).exists()
    assert set(Programme.objects.values_list("code", flat=True)) == {"acv", "pvd"}


@pytest.mark.django_db
def test_reimport_updates_and_never_duplicates():
    """Running the import again changes a corrected value and adds no row."""
    villes_import_reference()
    count = Ville.objects.count()
    Ville.objects.filter(code_insee="18033").update(population=1, nom="Bourges (ancien)")
    report = villes_import_reference()
    assert Ville.objects.count() == count
    assert report.created == 0
    bourges = Ville.objects.get(code_insee="18033")
    assert (bourges.nom, bourges.population) == ("Bourges", 63702)
    assert bourges.programmes.count() == 1


@pytest.mark.django_db
def test_a_bad_row_imports_nothing_and_says_where(tmp_path):
    """A bad INSEE code stops the import with the file, line and reason; nothing is written."""
    for path in REFERENCE_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    pvd = tmp_path / "pvd_centre_val_de_loire.csv"
    lines = pvd.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",18", ",1X", 1)  # line 6 in a spreadsheet: a broken INSEE code
    pvd.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("import_villes", "--dir", str(tmp_path))
    assert "pvd_centre_val_de_loire.csv, ligne 6" in str(error.value)
    assert "code INSEE invalide" in str(error.value)
    assert "rien n'a été importé" in str(error.value)
    assert Ville.objects.count() == 0
    assert Programme.objects.count() == 0
