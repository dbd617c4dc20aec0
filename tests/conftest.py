"""Shared fixtures: one member per role, a client signed in as each, and query counting."""

import os

import pytest
from django.core.cache import cache

from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server

ROLES = ["anonyme", "partenaire", "chef_de_projet", "equipe"]


def pytest_collection_modifyitems(items):
    """Every transactional test (browser, real worker) puts back the database it found.

    Such a test flushes the tables when it ends. Without serialized rollback, that flush recreates
    the content types under new ids, and the next test that restores the serialized database then
    meets each of them twice (duplicate key at its set-up): whether two tests fail depended on the
    order xdist happened to give them. With it everywhere, each one restores the same rows.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        live = {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))
        if (kwargs.get("transaction") or live) and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    return


def _warm_content_types():
    """Every test starts with the content types in the process cache, as a running site has them.

    Notifications and follows look a content type up once per process; without this, the first
    test of each worker paid one query more than the same test anywhere else, so a pinned query
    count depended on the order xdist gave the tests. A transactional test's flush recreates the
    content types under new ids, hence a fresh read each time (one query).
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture(autouse=True)
def _reference_themes(request):
    """The themes seeded by a data migration are back in every database test.

    Tests with ``transaction=True`` (browser, real worker) flush the tables when they end,
    data migrations included; the taxonomy is reference data every page relies on.
    """
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        return
    from reseau_acv.core.models import Theme
    from reseau_acv.core.themes import themes_seed

    transactional = (marker is not None and marker.kwargs.get("transaction")) or names & {
        "transactional_db",
        "live_server",
    }
    request.getfixturevalue("transactional_db" if transactional else "db")
    _warm_content_types()
    if not Theme.objects.exists():
        themes_seed(Theme)
    from reseau_acv.core.models import EntreeThesaurus
    from reseau_acv.core.recherche.initial import thesaurus_seed

    thesaurus_seed(EntreeThesaurus)  # the search thesaurus is seeded by a data migration too


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
