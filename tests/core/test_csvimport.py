import pytest

from reseau_acv.core.csvimport import CsvImportError, csv_read, import_failure_message


def _problems(data: bytes, **kwargs) -> list[str]:
    with pytest.raises(CsvImportError) as error:
        csv_read(data, filename="liste.csv", **kwargs).raise_if_problems()
    return [str(problem) for problem in error.value.problems]


def test_rows_come_with_their_spreadsheet_line_numbers():
    """Rows carry the line a spreadsheet shows (header is line 1); blank lines are skipped, values stripped."""
    table = csv_read(b"Email ; Nom\n a@b.fr ; Ana \n\nc@d.fr;Cy\n", filename="liste.csv", required=["email"])
    assert table.columns == ["email", "nom"]
    assert table.rows == [(2, {"email": "a@b.fr", "nom": "Ana"}), (4, {"email": "c@d.fr", "nom": "Cy"})]
    assert table.problems == []


def test_a_latin_1_file_is_refused_with_its_line_and_a_way_out():
    """A Latin-1 file is refused with the file, the line of the first bad byte and how to save it right."""
    data = "nom,ville\nAna,Blois\nÉlise,Châteauroux\n".encode("latin-1")
    (problem,) = _problems(data)
    assert problem.startswith("liste.csv, ligne 3 : le fichier n'est pas encodé en UTF-8")
    assert "CSV UTF-8" in problem


def test_windows_1252_is_read_when_the_caller_accepts_it():
    """A caller that accepts Windows-1252 (an upload from Excel) reads it and says which encoding it used."""
    table = csv_read("nom;ville\nÉlise;Châteauroux\n".encode("cp1252"), encodings=("utf-8-sig", "cp1252"))
    assert table.rows == [(2, {"nom": "Élise", "ville": "Châteauroux"})]
    assert table.encoding == "Windows-1252"


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column():
    """Excel's « CSV UTF-8 » starts with a byte order mark: the first column is still found."""
    table = csv_read("\ufeffemail,nom\na@b.fr,Ana\n".encode(), required=["email"])
    assert table.rows[0][1]["email"] == "a@b.fr"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "liste.csv : le fichier est vide"),
        (b"\n  \n", "liste.csv : le fichier est vide"),
        (b"email,nom\n", "liste.csv, ligne 1 : aucune ligne de donn"),
        (b"courriel,nom\na@b.fr,Ana\n", "liste.csv, ligne 1 : colonne manquante dans l'en-tête : « email »"),
    ],
)
def test_a_file_without_rows_or_columns_is_refused(data, expected):
    """An empty file, a header alone or a missing column is refused, saying so."""
    (problem,) = _problems(data, required=["email"])
    assert problem.startswith(expected)


def test_every_row_problem_is_reported_together():
    """Short rows, long rows, repeated rows and repeated keys are all reported, each with its line."""
    data = b"email,nom\na@b.fr,Ana\nc@d.fr\ne@f.fr,Eve,en trop\na@b.fr,Ana\nA@B.fr,Anne\n"
    problems = _problems(data, unique_by=["email"])
    assert problems == [
        "liste.csv, ligne 3 : 1 champ au lieu des 2 de l'en-tête (séparateur ou guillemet mal placé ?)",
        "liste.csv, ligne 4 : 3 champs au lieu des 2 de l'en-tête (séparateur ou guillemet mal placé ?)",
        "liste.csv, ligne 5 : ligne identique à la ligne 2",
        "liste.csv, ligne 6 : email « A@B.fr » déjà présent ligne 2",
    ]


def test_the_failure_message_counts_in_french():
    """The command's message says « 1 erreur » or « 2 erreurs », then one problem a line."""
    with pytest.raises(CsvImportError) as one:
        csv_read(b"", filename="a.csv")
    assert import_failure_message(one.value).splitlines() == [
        "Import annulé, rien n'a été importé : 1 erreur.",
        "  a.csv : le fichier est vide",
    ]
    with pytest.raises(CsvImportError) as two:
        csv_read(b"x\n1\n1\n1\n", filename="a.csv").raise_if_problems()
    assert import_failure_message(two.value).splitlines()[0] == "Import annulé, rien n'a été importé : 2 erreurs."
