"""Hostile parameters: every view answers 400 or 404 (or its usual page), never a server error.

The test is generic: it walks every URL pattern of the resolver (Django's admin aside, which
is Django's own and for superusers only), so a view added tomorrow is covered without editing
this file. On the demonstration data set, for each role it:

1. crawls the pages reachable from the home page and the dashboard, keeping one real address
   per route and the names of the fields of every form it meets;
2. asks each route with hostile path values (0, a huge number, a NUL byte, a long string);
3. asks each real address with hostile query strings on the names it met (NUL bytes, huge and
   negative numbers, invalid dates, repeated keys), by GET and by POST.

If this test fails on your new view: the message names the address, the role and the
parameters; make the view refuse them with 400 or 404 (a form, ``int()`` in a ``try``,
``get_object_or_404``), not with a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from reseau_acv.comptes.models import User

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = {
    "anonyme": None,
    "partenaire": "partenaire@reseau-acv.test",
    "chef_de_projet": "chef.blois@reseau-acv.test",
    "equipe": "equipe@reseau-acv.test",
}
START = ["/", "/tableau-de-bord/", "/ressources/", "/rencontres/", "/panorama/", "/villes/", "/recherche/?q=ville"]
MAX_PAGES = 120
# Names that views commonly read, besides those of the forms found on the pages.
GENERIC_NAMES = ["q", "page", "annee", "year", "date", "debut", "fin", "ville", "theme", "type", "tri", "next", "pk"]
HUGE = "99999999999999999999"
HOSTILE_PATH_VALUES = {
    "int": ["0", HUGE],
    "str": ["x\x00y", "x" * 300],
    "slug": ["x" * 300],
    "path": ["x\x00y"],
}


def _variants(names: list[str]) -> dict[str, list[tuple[str, str]]]:
    return {
        "octet NUL": [(name, "x\x00y") for name in names],
        "nombre énorme": [(name, HUGE) for name in names],
        "nombre négatif": [(name, "-1") for name in names],
        "date invalide": [(name, "2026-02-31") for name in names],
        "clés répétées": [pair for name in names for pair in ((name, "1"), (name, "zz"))],
    }


POSTED = ("octet NUL", "nombre énorme")


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "form" and values.get("action"):
            self.links.append(values["action"])
        if tag in {"input", "select", "textarea"} and values.get("name"):
            self.names.add(values["name"])


def _patterns(patterns, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def _hostile_paths(route: str) -> Iterator[str]:
    """The route with each of its parameters replaced by hostile values (the others by ``1``)."""
    if route.startswith("^"):
        return
    params = CONVERTER.findall(route)
    for index, (kind, _name) in enumerate(params):
        for value in HOSTILE_PATH_VALUES.get(kind or "str", []):
            position = iter(range(len(params)))

            def fill(match, index=index, value=value, position=position):
                return value if next(position) == index else "1"

            yield "/" + CONVERTER.sub(fill, route)


def _crawl(client: Client) -> tuple[dict[str, str], set[str]]:
    """One real address per route name reachable from the start pages, and the form field names met."""
    seen: set[str] = set()
    by_route: dict[str, str] = {}
    names: set[str] = set()
    queue = list(START)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        split = urlsplit(url)
        if split.netloc or split.scheme or url in seen:
            continue
        seen.add(url)
        try:
            match = resolve(split.path)
        except Resolver404:
            continue
        if match.namespace == "admin" or "logout" in (match.url_name or ""):
            continue
        route = match.view_name
        if route in by_route:
            continue
        by_route.setdefault(route, split.path)
        response = client.get(url)
        assert response.status_code < 500, f"{url}: HTTP {response.status_code}"
        if "html" not in response.get("Content-Type", ""):
            continue
        parser = _PageParser()
        parser.feed(response.content.decode("utf-8", "replace"))
        names |= parser.names
        queue += [link.split("#")[0] for link in parser.links if link.startswith("/")]
    return by_route, names


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demonstration data set, seeded once for this module and removed after it."""
    with django_db_blocker.unblock():
        call_command("demo", stdout=StringIO())
        yield
        call_command("flush", "--noinput", stdout=StringIO())


@pytest.mark.parametrize("role", list(DEMO_ACCOUNTS))
def test_no_view_answers_500_to_hostile_parameters(demo_data, role):
    """For every role, hostile path values and query strings on every route answer without a server error."""
    client = Client(raise_request_exception=False)
    if DEMO_ACCOUNTS[role]:
        client.force_login(User.objects.get(email=DEMO_ACCOUNTS[role]))
    real, met = _crawl(client)
    assert len(real) > 10, "the crawl should reach most of the platform"
    names = sorted(set(GENERIC_NAMES) | {n for n in met if n not in {"csrfmiddlewaretoken"}})
    failures = []
    for route, pattern in _patterns(get_resolver().url_patterns):
        for url in _hostile_paths(route):
            status = client.get(url).status_code
            if status >= 500:
                failures.append(f"GET {url[:80]!r} ({pattern.name}): {status}")
    for route_name, path in sorted(real.items()):
        for label, pairs in _variants(names).items():
            statuses = [("GET", client.get(f"{path}?{urlencode(pairs)}").status_code)]
            if label in POSTED:
                body = urlencode(pairs)
                statuses.append(("POST", client.post(path, body, "application/x-www-form-urlencoded").status_code))
            for method, status in statuses:
                if status >= 500:
                    failures.append(f"{method} {path} ({route_name}) with {label}: {status}")
    assert failures == [], f"role {role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ["anonyme", "chef_de_projet"])
def test_a_nul_byte_in_the_search_answers_400_in_french(client_for, role):
    """/recherche/?q=x%00y answers 400 with a French page instead of reaching the database."""
    response = client_for(role).get("/recherche/?q=x%00y")
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


def test_a_nul_byte_in_a_posted_field_answers_400(client_for):
    """A form field carrying a NUL byte is refused before any view stores it."""
    response = client_for("chef_de_projet").post("/mon-compte/courriels/", {"frequence": "x\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize("year", ["0", HUGE])
def test_plenary_archive_of_an_impossible_year_is_not_found(client_for, year):
    """/rencontres/plenieres/0/ and a 20-digit year answer 404."""
    assert client_for("partenaire").get(f"/rencontres/plenieres/{year}/").status_code == 404
