"""Shared fixtures: one member per role, a client signed in as each, and query counting."""

import os

import pytest
from django.core.cache import cache

from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server

ROLES = ["anonyme", "partenaire", "chef_de_projet", "equipe"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    return


@pytest.fixture
def partenaire(db):
    return PartenaireFactory()


@pytest.fixture
def chef(db):
    return ChefDeProjetFactory()


@pytest.fixture
def equipe(db):
    return EquipeFactory()


@pytest.fixture
def user_for_role(db):
    """Build a member of the given role (``anonyme`` gives ``None``)."""

    def build(role: str):
        return {
            "anonyme": lambda: None,
            "partenaire": PartenaireFactory,
            "chef_de_projet": ChefDeProjetFactory,
            "equipe": EquipeFactory,
        }[role]()

    return build


@pytest.fixture
def client_for(client, user_for_role):
    """A test client signed in with a new member of ``role`` (or anonymous)."""

    def build(role: str):
        user = user_for_role(role)
        if user is not None:
            client.force_login(user)
        return client

    return build


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's Chromium: no browser is downloaded."""
    from tests.helpers import CHROMIUM_ARGS

    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}
