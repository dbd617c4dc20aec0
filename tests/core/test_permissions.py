"""The role predicates: one answer to « is this member staff? » for every app."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from reseau_acv.core.permissions import (
    is_chef_de_projet,
    is_equipe,
    is_member,
    may_animate,
    may_moderate,
    require_equipe,
)
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory, UserFactory
from tests.helpers import ROOT

STAFF_MESSAGE = "ask reseau_acv.core.permissions (is_equipe, may_moderate, may_animate; viewer_is_equipe in templates)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "member", "staff", "lead"),
    [
        (lambda: None, False, False, False),
        (AnonymousUser, False, False, False),
        (PartenaireFactory, True, False, False),
        (ChefDeProjetFactory, True, False, True),
        (EquipeFactory, True, True, False),
        (lambda: UserFactory(role="partenaire", is_superuser=True), True, True, False),
        (lambda: EquipeFactory(is_active=False), False, False, False),
    ],
)
def test_predicates_per_role(build, member, staff, lead):
    """Staff (and the technical admin) animate and moderate; a deactivated account is nobody."""
    user = build()
    assert is_member(user) is member
    assert is_equipe(user) is staff
    assert may_moderate(user) is staff
    assert may_animate(user) is staff
    assert is_chef_de_projet(user) is lead


@pytest.mark.django_db
def test_services_refuse_an_actor_who_is_not_staff():
    """``require_equipe`` lets staff through and refuses a project lead."""
    require_equipe(EquipeFactory())
    with pytest.raises(PermissionDenied):
        require_equipe(ChefDeProjetFactory())


@pytest.mark.django_db
def test_templates_know_whether_the_viewer_is_staff(client):
    """The staff-only « Inviter un membre » link shows for staff, not for a lead."""
    client.force_login(ChefDeProjetFactory())
    assert "Inviter un membre" not in client.get("/tableau-de-bord/").content.decode()
    client.force_login(EquipeFactory())
    assert "Inviter un membre" in client.get("/tableau-de-bord/").content.decode()


def test_the_convention_lint_refuses_a_scattered_staff_check(tmp_path):
    """A new ``user.is_equipe`` outside core, in code or a template, is reported by the project lint."""
    (tmp_path / "villes").mkdir()
    (tmp_path / "villes" / "views.py").write_text("def f(user):\n    return user.is_equipe\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("{% if user.is_equipe %}x{% endif %}\n", encoding="utf-8")
    (tmp_path / "reseau_acv" / "core").mkdir(parents=True)
    (tmp_path / "reseau_acv" / "core" / "permissions.py").write_text("x = user.is_equipe\n", encoding="utf-8")
    lint = [sys.executable, str(ROOT / "scripts" / "lint_conventions.py"), str(tmp_path)]
    result = subprocess.run(lint, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert sorted(result.stdout.splitlines()) == [
        "templates/page.html:1: " + STAFF_MESSAGE,
        "villes/views.py:2: " + STAFF_MESSAGE,
    ]
