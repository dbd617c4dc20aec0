import pytest
from django.contrib.auth.models import AnonymousUser

from reseau_acv.core.visibility import levels_for
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (PartenaireFactory, ["public", "partenaires"]),
        (ChefDeProjetFactory, ["public", "partenaires", "reseau"]),
        (EquipeFactory, ["public", "partenaires", "reseau", "equipe"]),
    ],
)
def test_each_role_sees_its_levels(factory, expected):
    """A partner sees up to `partenaires`, a lead up to `reseau`, staff everything."""
    assert levels_for(factory()) == expected


def test_an_anonymous_visitor_sees_only_public():
    """An anonymous visitor sees only public content."""
    assert levels_for(AnonymousUser()) == ["public"]


@pytest.mark.django_db
def test_a_deactivated_member_sees_only_public():
    """A deactivated account sees no more than an anonymous visitor."""
    assert levels_for(EquipeFactory(is_active=False)) == ["public"]


@pytest.mark.django_db
def test_a_superuser_without_staff_role_sees_everything():
    """The technical admin sees every level."""
    assert levels_for(UserFactory(role="partenaire", is_superuser=True))[-1] == "equipe"


@pytest.mark.django_db
def test_audience_of_a_level_matches_what_each_role_sees():
    """The members able to see a level are exactly those whose role reaches it."""
    from reseau_acv.comptes.models import User

    partenaire, chef, equipe = PartenaireFactory(), ChefDeProjetFactory(), EquipeFactory()
    assert set(User.objects.able_to_see("reseau")) == {chef, equipe}
    assert set(User.objects.able_to_see("partenaires")) == {partenaire, chef, equipe}
    assert set(User.objects.able_to_see("equipe")) == {equipe}
