import sqlite3

from reseau_acv.core.db import install_sqlite_functions, unaccent


def test_unaccent_folds_french_accents():
    """Accents are removed the way PostgreSQL's unaccent does."""
    assert unaccent("Réhabilitation à Châteauroux, île, Noël") == "Rehabilitation a Chateauroux, ile, Noel"
    assert unaccent(None) is None


def test_sqlite_gets_an_unaccent_function():
    """On the embedded SQLite default, searching "rehabilitation" finds "réhabilitation"."""

    class Wrapper:
        vendor = "sqlite"
        connection = sqlite3.connect(":memory:")

    install_sqlite_functions(None, Wrapper)
    db = Wrapper.connection
    db.execute("CREATE TABLE r (titre TEXT)")
    db.execute("INSERT INTO r VALUES ('Réhabilitation du centre ancien'), ('Commerce')")
    rows = db.execute("SELECT titre FROM r WHERE UPPER(UNACCENT(titre)) LIKE UPPER(UNACCENT(?))", ("%rehabilitation%",))
    assert [row[0] for row in rows] == ["Réhabilitation du centre ancien"]
