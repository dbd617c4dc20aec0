"""Load test: anonymous visitors and signed-in members browsing the platform (locust).

Needs the demonstration data (``manage.py demo``: its accounts and their password) and the
``[load]`` extra. The README gives the command and the result measured on this machine.

    locust -f loadtest/locustfile.py --headless -u 50 -r 10 -t 2m --host http://127.0.0.1:8000
"""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, task

DEMO_PASSWORD = "demo-reseau-acv"  # noqa: S105 (the demo accounts' published password)
MEMBERS = ["chef.blois@reseau-acv.test", "chef.pvd@reseau-acv.test", "partenaire@reseau-acv.test"]
SEARCHES = ["OPAH-RU", "commerce", "friche", "plan de relance", "mobilité", "Blois", "habitat"]
TOWNS = ["blois", "bourges", "chartres", "chateauroux", "vierzon", "dreux"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visiteur(HttpUser):
    """Someone discovering the network: public pages, towns, the map, a search."""

    weight = 3
    wait_time = between(1, 4)

    @task(3)
    def accueil(self):
        self.client.get("/")

    @task(2)
    def villes(self):
        self.client.get("/villes/")
        self.client.get(f"/villes/{random.choice(TOWNS)}/", name="/villes/[ville]/")  # noqa: S311 (load mix)

    @task
    def carte(self):
        self.client.get("/villes/carte/")

    @task(2)
    def bibliotheque(self):
        self.client.get("/ressources/")

    @task
    def rencontres(self):
        self.client.get("/rencontres/")
        self.client.get("/rencontres/plenieres/")

    @task(2)
    def recherche(self):
        self.client.get("/recherche/", params={"q": random.choice(SEARCHES)}, name="/recherche/?q=")  # noqa: S311


class Membre(HttpUser):
    """A signed-in lead or partner: dashboard, library, meetings, press, directory, search."""

    weight = 2
    wait_time = between(1, 4)

    def on_start(self):
        page = self.client.get("/compte/login/")
        token = CSRF.search(page.text)
        self.client.post(
            "/compte/login/",
            {
                "login": random.choice(MEMBERS),  # noqa: S311 (load mix)
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/compte/login/"},
            name="/compte/login/ (POST)",
        )

    @task(3)
    def tableau_de_bord(self):
        self.client.get("/tableau-de-bord/")

    @task(2)
    def bibliotheque(self):
        self.client.get("/ressources/")
        self.client.get("/ressources/questions/")

    @task(2)
    def rencontres(self):
        self.client.get("/rencontres/")
        self.client.get("/rencontres/mes-inscriptions/")

    @task(2)
    def presse(self):
        self.client.get("/panorama/")

    @task
    def annuaire(self):
        self.client.get("/annuaire/")

    @task(2)
    def recherche(self):
        self.client.get("/recherche/", params={"q": random.choice(SEARCHES)}, name="/recherche/?q=")  # noqa: S311
