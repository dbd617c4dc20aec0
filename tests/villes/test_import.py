import os
import shutil
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.helpers import ROOT
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


def _copy_reference(tmp_path):
    for path in REFERENCE_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _refused(tmp_path) -> str:
    with pytest.raises(CommandError) as error:
        call_command("import_villes", "--dir", str(tmp_path))
    assert Ville.objects.count() == 0
    return str(error.value)


@pytest.mark.django_db
def test_a_latin_1_file_gets_a_clear_message(tmp_path):
    """A reference file saved in Latin-1 is refused with its name, the line and how to fix it, not a traceback."""
    _copy_reference(tmp_path)
    acv = tmp_path / "acv_centre_val_de_loire.csv"
    acv.write_bytes(acv.read_text(encoding="utf-8").encode("latin-1"))
    message = _refused(tmp_path)
    assert "UnicodeDecodeError" not in message
    assert "acv_centre_val_de_loire.csv, ligne 4 : le fichier n'est pas encodé en UTF-8" in message  # « Métropole »
    assert "CSV UTF-8" in message


@pytest.mark.django_db
def test_an_empty_acv_file_is_an_error(tmp_path):
    """An empty ACV file stops the import (non-zero exit) instead of importing the rest."""
    _copy_reference(tmp_path)
    (tmp_path / "acv_centre_val_de_loire.csv").write_text("")
    assert "acv_centre_val_de_loire.csv : le fichier est vide" in _refused(tmp_path)


@pytest.mark.django_db
def test_a_header_without_rows_is_an_error(tmp_path):
    """An ACV file that has only its header is refused too."""
    _copy_reference(tmp_path)
    acv = tmp_path / "acv_centre_val_de_loire.csv"
    acv.write_text(acv.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert "acv_centre_val_de_loire.csv, ligne 1 : aucune ligne de données après l'en-tête" in _refused(tmp_path)


@pytest.mark.django_db
def test_duplicated_rows_are_errors_and_every_problem_is_listed(tmp_path):
    """A repeated row, a repeated INSEE code and a bad value are all listed at once, in order, with file and line."""
    _copy_reference(tmp_path)
    pvd = tmp_path / "pvd_centre_val_de_loire.csv"
    lines = pvd.read_text(encoding="utf-8").splitlines()
    lines.append(lines[1])  # Les Aix-d'Angillon again, identical: line 101
    lines.append(lines[2].replace("Aubigny-sur-Nère", "Aubigny"))  # same INSEE code, line 102
    lines[3] = lines[3].replace(",241800374,", ",2418,")  # a SIREN too short, line 4
    pvd.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _refused(tmp_path)
    assert message.splitlines()[0] == "Import annulé, rien n'a été importé : 3 erreurs."
    assert "pvd_centre_val_de_loire.csv, ligne 4 : SIREN d'intercommunalité invalide « 2418 »" in message
    assert "pvd_centre_val_de_loire.csv, ligne 101 : ligne identique à la ligne 2" in message
    assert "pvd_centre_val_de_loire.csv, ligne 102 : insee_code « 18015 » déjà présent ligne 3" in message
    lines = [int(line.split("ligne ")[1].split(" ")[0]) for line in message.splitlines()[1:4]]
    assert lines == [4, 101, 102]  # in the file's order


@pytest.mark.django_db
def test_a_missing_column_is_named(tmp_path):
    """A file whose header lacks a needed column says which one."""
    _copy_reference(tmp_path)
    appui = tmp_path / "villes_appui.csv"
    appui.write_text(appui.read_text(encoding="utf-8").replace("region_name", "region"), encoding="utf-8")
    assert "villes_appui.csv, ligne 1 : colonne manquante dans l'en-tête : « region_name »" in _refused(tmp_path)


def test_the_command_exits_with_an_error_status_and_no_traceback(tmp_path):
    """Run as staff run it: exit status 1, the message on stderr, no Python traceback."""
    _copy_reference(tmp_path)
    (tmp_path / "acv_centre_val_de_loire.csv").write_bytes("name\nChâteauroux\n".encode("latin-1"))
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "import_villes", "--dir", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "reseau_acv.settings.test"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "acv_centre_val_de_loire.csv, ligne 2 : le fichier n'est pas encodé en UTF-8" in result.stderr
