"""Towns the invitation tests share: two PVD communes of one intercommunality, as the reference data gives them."""

import pytest

from tests.factories.villes import ProgrammeFactory, VilleFactory


def make_septaine() -> list:
    """Avord and Baugy, PVD communes of the CC La Septaine (Cher)."""
    pvd = ProgrammeFactory(code="pvd", nom="Petites villes de demain", sigle="PVD")
    common = {
        "departement_code": "18",
        "departement_nom": "Cher",
        "epci_nom": "CC La Septaine",
        "epci_siren": "241800374",
    }
    return [
        VilleFactory(nom="Avord", code_insee="18018", programmes=[pvd], **common),
        VilleFactory(nom="Baugy", code_insee="18023", programmes=[pvd], **common),
    ]


@pytest.fixture
def septaine(db):
    return make_septaine()
