"""A data set at regional or national scale, loaded fast, for measuring pages (``seed_scale``).

Towns are real (the reference lists of ``data/reference/``); members, resources, experience
sheets, questions and answers, meetings and registrations, press articles and editions are
generated from a fixed seed, and written with PostgreSQL ``COPY`` (hundreds of thousands of rows
in minutes). Every generated member has an address at ``@echelle.invalid``: it is how the command
knows the database was seeded, and at which level.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg import sql

from panorama.matching import title_fingerprint
from panorama.models import AbonnementEdition, ArticlePresse, Edition, Parution, Source
from rencontres.models import Inscription, Rencontre
from rencontres.recherche import RENCONTRE
from reseau_acv.accueil.models import Preferences
from reseau_acv.comptes.models import Organisation, Role, User
from reseau_acv.core.models import Theme
from reseau_acv.core.recherche import index_refresh
from reseau_acv.core.visibility import Visibilite
from ressources.models import Message, Question, Ressource, RetourExperience, Statut
from ressources.recherche import refresh_all
from villes.models import Mission, Programme, Ville
from villes.services import villes_import_national, villes_import_reference

DOMAIN = "echelle.invalid"
PASSWORD = "echelle-reseau-acv"  # noqa: S105 (the three named accounts of a measurement database)
NAMED = {"equipe": Role.EQUIPE, "chef": Role.CHEF_DE_PROJET, "partenaire": Role.PARTENAIRE}


@dataclass(frozen=True)
class Niveau:
    """How many of each thing a level has."""

    code: str
    membres: int
    ressources: int
    retours: int
    questions: int
    rencontres: int
    articles: int
    sources: int

    def scaled(self, facteur: float) -> Niveau:
        def n(value: int) -> int:
            return max(1, round(value * facteur))

        return Niveau(
            self.code,
            n(self.membres),
            n(self.ressources),
            n(self.retours),
            n(self.questions),
            n(self.rencontres),
            n(self.articles),
            n(self.sources),
        )


NIVEAUX = {
    # The regional network as it could be in a few years: its 114 towns, a few hundred members.
    "regional": Niveau("regional", 350, 3_500, 350, 700, 150, 35_000, 23),
    # The whole programme: 1,850 towns and communes, and the volumes of issue 11.
    "national": Niveau("national", 5_000, 50_000, 5_000, 10_000, 2_000, 500_000, 150),
}

# Share of the stored press that the team keeps: ingestion against every commune of France
# brings in many stories, most of them out of scope or set aside.
STATUTS_PRESSE = [ArticlePresse.Statut.RETENU] * 10 + [ArticlePresse.Statut.A_TRIER] * 2
STATUTS_PRESSE += [ArticlePresse.Statut.ECARTE] * 28 + [ArticlePresse.Statut.HORS_PERIMETRE] * 60
NIVEAUX_VISIBILITE = [Visibilite.PUBLIC] * 30 + [Visibilite.PARTENAIRES] * 35 + [Visibilite.RESEAU] * 30
NIVEAUX_VISIBILITE += [Visibilite.EQUIPE] * 5
STATUTS_CONTENU = [Statut.PUBLIE] * 92 + [Statut.PROPOSE] * 4 + [Statut.BROUILLON] * 2 + [Statut.RENVOYE] * 2

MOTS = [
    "centre-ville",
    "commerces",
    "logements",
    "vacants",
    "rénovation",
    "place",
    "marché",
    "halle",
    "gare",
    "navette",
    "vélo",
    "parking",
    "médiathèque",
    "école",
    "maison",
    "santé",
    "friche",
    "parc",
    "quais",
    "rue",
    "piétonne",
    "travaux",
    "conseil",
    "municipal",
    "budget",
    "projet",
    "habitants",
    "élus",
    "association",
    "patrimoine",
    "château",
    "abbaye",
    "église",
    "façades",
    "OPAH-RU",
    "habitat",
    "foncier",
    "boutique",
    "à",
    "l'essai",
    "vitrines",
    "manager",
    "de",
    "centre-ville",
    "mobilité",
    "stationnement",
    "ilôt",
    "requalification",
    "concertation",
    "subvention",
    "relance",
    "numérique",
    "transition",
    "écologique",
    "îlot",
    "de",
    "chaleur",
    "végétalisation",
    "cour",
    "d'école",
    "tiers-lieu",
    "cinéma",
    "musée",
    "convention",
    "ORT",
    "opération",
    "revitalisation",
]
PRENOMS = [
    "Camille",
    "Claire",
    "Julien",
    "Sophie",
    "Thomas",
    "Nadia",
    "Pierre",
    "Léa",
    "Hugo",
    "Inès",
    "Marc",
    "Emma",
    "Louis",
    "Chloé",
    "Karim",
    "Sarah",
    "Antoine",
    "Manon",
    "Paul",
    "Zoé",
    "Yann",
    "Amina",
    "Lucas",
    "Élise",
    "Mathieu",
    "Jeanne",
    "Nicolas",
    "Aïcha",
    "David",
    "Lucie",
]
NOMS = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
]
ORGANISATIONS = [
    ("Banque des Territoires", Organisation.Type.OPERATEUR),
    ("Agence nationale de la cohésion des territoires", Organisation.Type.ETAT),
    ("Anah", Organisation.Type.OPERATEUR),
    ("Action Logement", Organisation.Type.OPERATEUR),
    ("CCI France", Organisation.Type.CONSULAIRE),
    ("CMA France", Organisation.Type.CONSULAIRE),
    ("Cerema", Organisation.Type.OPERATEUR),
    ("Villes au Carré", Organisation.Type.ANIMATION),
]


def _value(field: models.Field, obj: models.Model):
    value = getattr(obj, field.attname)
    if value is None and (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):
        value = field.pre_save(obj, True)  # a date the generator did not choose: now
    return field.get_db_prep_save(value, connection)


def _rows_to_copy(model: type[models.Model], objects: Iterable[models.Model], *, with_pk: bool):
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    for obj in objects:
        yield [_value(f, obj) for f in fields]


def copy_objects(model: type[models.Model], objects: Iterable[models.Model], *, with_pk: bool = True) -> int:
    """Write unsaved instances with ``COPY``: no signals, no ``save()``, all fields as they are.

    With ``with_pk`` the instances carry their ids (taken with :func:`reserve_ids`); without,
    the database numbers them and nobody needs them back (links, registrations, messages).
    """
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(sql.Identifier(f.column) for f in fields)
    )
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in _rows_to_copy(model, objects, with_pk=with_pk):
            copy.write_row(row)
            count += 1
    return count


@contextmanager
def indexes_deferred(*models_: type[models.Model]) -> Iterator[None]:
    """Drop the tables' secondary indexes, and build them again at the end: a bulk load writes
    rows many times faster, and one index build beats a million index insertions. Indexes
    behind constraints (primary and unique keys) stay."""
    definitions = []
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
            for name, definition in cursor.fetchall():
                definitions.append(definition)
                cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # an index is not built over unchecked rows
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition)


def reserve_ids(model: type[models.Model], n: int) -> int:
    """Reserve ``n`` consecutive ids in the model's sequence; return the first."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {}), "
                "(SELECT last_value FROM {})) + %s)"
            ).format(
                sql.Identifier(table),
                sql.SQL(_sequence_of(table)),
            ),
            [table, n],
        )
        last = cursor.fetchone()[0]
    return last - n + 1


def _sequence_of(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        return cursor.fetchone()[0]


MARKER = "Jeu de mesure "


def seeded_level() -> str | None:
    """The level this database was seeded at (``regional``, ``national``), or None."""
    fonction = User.objects.filter(email=f"equipe@{DOMAIN}").values_list("fonction", flat=True).first()
    return fonction.removeprefix(MARKER) if fonction and fonction.startswith(MARKER) else None


def has_content() -> bool:
    return (
        User.objects.exists()
        or Ressource.objects.exists()
        or Rencontre.objects.exists()
        or ArticlePresse.objects.exists()
    )


def reset() -> None:
    """Empty every table of the platform's apps except the themes (seeded by a migration)."""
    keep = {Theme._meta.db_table}
    apps = {"core", "comptes", "villes", "ressources", "rencontres", "panorama", "accueil", "account", "sessions"}
    from django.apps import apps as registry

    tables = set()
    for model in registry.get_models(include_auto_created=True):
        if model._meta.app_label in apps and model._meta.db_table not in keep and not model._meta.proxy:
            tables.add(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # rows written earlier in this transaction are checked now
        cursor.execute(
            sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in sorted(tables))
            )
        )


class Seeder:
    """Generates and writes one level's data. ``say`` reports each step and its time."""

    def __init__(self, niveau: Niveau, *, graine: int = 2026, say: Callable[[str], None] = print):
        self.niveau = niveau
        self.rng = random.Random(graine)  # noqa: S311 (reproducible data, not security)
        self.say = say
        self.now = timezone.now()

    def _step(self, label: str, started: float, count: int | None = None) -> None:
        done = f"{count:,}".replace(",", " ") + " " if count is not None else ""
        self.say(f"  {label} : {done}en {time.perf_counter() - started:.1f} s")

    def _date(self, *, years_back: float = 6, years_ahead: float = 0) -> dt.datetime:
        span = (years_back + years_ahead) * 365 * 86400
        return self.now - timedelta(days=years_back * 365) + timedelta(seconds=self.rng.random() * span)

    def _words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(MOTS, k=self.rng.randint(low, high)))

    def run(self) -> None:
        with transaction.atomic():
            self.towns()
            self.members()
            self.library()
            self.meetings()
            self.press()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.in_atomic_block:  # inside a test's transaction, where VACUUM cannot run
                cursor.execute("ANALYZE")
            else:
                # As autovacuum would in a while: the visibility map lets counts and lists read their
                # indexes alone (a count of 14,000 public resources: 2 ms instead of 200 ms cold).
                cursor.execute("VACUUM (ANALYZE)")
        self._step("carte de visibilité et statistiques du planificateur (VACUUM ANALYZE)", started)

    # Towns and members ----------------------------------------------------------------------

    def towns(self) -> None:
        started = time.perf_counter()
        villes_import_reference()
        if self.niveau.code == "national":
            villes_import_national()
        self.villes = list(Ville.objects.order_by("pk").values_list("pk", flat=True))
        self.reseau = list(Ville.objects.filter(reseau_regional=True).values_list("pk", flat=True)) or self.villes
        self.programmes = dict(Programme.objects.values_list("code", "pk"))
        self.themes = list(Theme.objects.values_list("pk", flat=True))
        self._step("villes et communes", started, len(self.villes))

    def _town(self) -> int:
        """A town, the network's more often than the others (they are the most active)."""
        return self.rng.choice(self.reseau) if self.rng.random() < 0.15 else self.rng.choice(self.villes)

    def members(self) -> None:
        started = time.perf_counter()
        organisations = [Organisation(nom=nom, type=kind) for nom, kind in ORGANISATIONS]
        organisations += [
            Organisation(nom=f"Préfecture de région {i}", type=Organisation.Type.ETAT) for i in range(1, 19)
        ]
        organisations += [
            Organisation(nom=f"Collectivité partenaire {i}", type=Organisation.Type.COLLECTIVITE) for i in range(1, 41)
        ]
        organisations = Organisation.objects.bulk_create(organisations)
        unusable, usable = make_password(None), make_password(PASSWORD)
        n = self.niveau.membres
        first = reserve_ids(User, n)
        users = []
        for i in range(n):
            if i < len(NAMED):
                local, role = list(NAMED.items())[i]
            else:
                local = f"membre-{i}"
                slot = i % 20
                role = Role.EQUIPE if slot == 0 else Role.PARTENAIRE if slot <= 7 else Role.CHEF_DE_PROJET
            users.append(
                User(
                    pk=first + i,
                    email=f"{local}@{DOMAIN}",
                    password=usable if i < len(NAMED) else unusable,
                    role=role,
                    first_name=self.rng.choice(PRENOMS),
                    last_name=self.rng.choice(NOMS),
                    organisation_id=self.rng.choice(organisations).pk,
                    fonction=f"{MARKER}{self.niveau.code}"
                    if i == 0
                    else self.rng.choice(["Chef·fe de projet", "Chargé·e de mission", "Directeur·rice", ""]),
                    consentement_annuaire=self.rng.random() < 0.75,
                    date_joined=self._date(years_back=5),
                    is_active=True,
                )
            )
        copy_objects(User, users)
        self.users = users
        self.leads = [u.pk for u in users if u.role == Role.CHEF_DE_PROJET]
        self.staff = [u.pk for u in users if u.role == Role.EQUIPE]
        missions = []
        for index, user in enumerate(u for u in users if u.role == Role.CHEF_DE_PROJET):
            towns = [self.reseau[0]] if index == 0 else [self.villes[index % len(self.villes)]]
            if self.rng.random() < 0.1:  # a PVD lead serving several communes
                towns.append(self.rng.choice(self.villes))
            intitule = Mission.Intitule.CHEF_ACV if index % 3 == 0 else Mission.Intitule.CHEF_PVD
            missions += [Mission(personne_id=user.pk, ville_id=t, intitule=intitule) for t in set(towns)]
        copy_objects(Mission, missions, with_pk=False)
        preferences = [
            Preferences(user_id=u.pk, frequence=self.rng.choice(["aucune", "quotidienne", "hebdomadaire"]))
            for u in users
            if self.rng.random() < 0.3
        ]
        Preferences.objects.bulk_create(preferences, batch_size=2000)
        AbonnementEdition.objects.bulk_create(
            [AbonnementEdition(membre_id=u.pk) for u in users if self.rng.random() < 0.4], batch_size=2000
        )
        self._step("membres (et missions, préférences, abonnements)", started, n)

    # Library ---------------------------------------------------------------------------------

    def _moderated(self, model, i: int, prefix: str, **fields) -> models.Model:
        statut = self.rng.choice(STATUTS_CONTENU)
        cree = self._date()
        return model(
            pk=fields.pop("pk"),
            slug=f"{prefix}-{i}",
            auteur_id=self.rng.choice(self.leads),
            visibilite=self.rng.choice(NIVEAUX_VISIBILITE),
            statut=statut,
            publie_le=cree + timedelta(days=1) if statut == Statut.PUBLIE else None,
            cree_le=cree,
            **fields,
        )

    def _links(self, model, field: str, pairs: list[tuple[int, int]]) -> None:
        descriptor = getattr(model, field)
        through = descriptor.through
        owner, target = descriptor.field.m2m_field_name(), descriptor.field.m2m_reverse_field_name()
        copy_objects(
            through, (through(**{f"{owner}_id": a, f"{target}_id": b}) for a, b in sorted(set(pairs))), with_pk=False
        )

    def library(self) -> None:
        started = time.perf_counter()
        with indexes_deferred(Ressource, RetourExperience, Question, Message):
            self._library()
        self._step("index de la bibliothèque reconstruits", started)
        # The vectors after the indexes: an index built over rows updated since they were written
        # could not serve the transactions still running then (PostgreSQL's « broken HOT chains »).
        started = time.perf_counter()
        for model in (Ressource, RetourExperience, Question):
            refresh_all(model)
        self._step("index de recherche de la bibliothèque", started)

    def _library(self) -> None:
        started = time.perf_counter()
        n = self.niveau.ressources
        first = reserve_ids(Ressource, n)
        types = [choice for choice, _ in Ressource.Type.choices]
        rows, themes, villes = [], [], []
        for i in range(n):
            pk = first + i
            rows.append(
                self._moderated(
                    Ressource,
                    i,
                    "echelle-ressource",
                    pk=pk,
                    titre=f"{self._words(3, 7).capitalize()}",
                    resume=self._words(15, 40),
                    corps=self._words(40, 120),
                    type=self.rng.choice(types),
                    lien=f"https://ressources.example/{i}",
                    programme_id=self.rng.choice([*self.programmes.values(), None]),
                    source=self.rng.choice(["ANCT", "Banque des Territoires", "Anah", "Cerema", ""]),
                )
            )
            themes += [(pk, t) for t in self.rng.sample(self.themes, self.rng.choice([1, 1, 2]))]
            villes += [(pk, self._town()) for _ in range(self.rng.choice([0, 1, 1, 1, 2]))]
        copy_objects(Ressource, rows)
        self._links(Ressource, "themes", themes)
        self._links(Ressource, "villes", villes)
        self.ressources = [r.pk for r in rows if r.statut == Statut.PUBLIE]
        self._step("ressources", started, n)

        started = time.perf_counter()
        n = self.niveau.retours
        first = reserve_ids(RetourExperience, n)
        difficultes = [c for c, _ in RetourExperience.Difficulte.choices]
        leviers = [c for c, _ in RetourExperience.Levier.choices]
        rows, themes = [], []
        for i in range(n):
            pk = first + i
            rows.append(
                self._moderated(
                    RetourExperience,
                    i,
                    "echelle-retour",
                    pk=pk,
                    titre=self._words(3, 7).capitalize(),
                    ville_id=self._town(),
                    contexte=self._words(30, 60),
                    difficulte=self._words(20, 40),
                    type_difficulte=self.rng.choice(difficultes),
                    leviers=self._words(20, 40),
                    type_levier=self.rng.choice(leviers),
                    resultat=self._words(20, 40),
                )
            )
            themes += [(pk, t) for t in self.rng.sample(self.themes, self.rng.choice([1, 2]))]
        copy_objects(RetourExperience, rows)
        self._links(RetourExperience, "themes", themes)
        self._step("fiches d'expérience", started, n)

        started = time.perf_counter()
        n = self.niveau.questions
        first = reserve_ids(Question, n)
        rows, themes, villes, messages = [], [], [], []
        for i in range(n):
            pk = first + i
            question = self._moderated(
                Question,
                i,
                "echelle-question",
                pk=pk,
                titre=f"{self._words(4, 9).capitalize()} ?",
                corps=self._words(20, 60),
                epinglee=i < 3,
                fermee=self.rng.random() < 0.2,
            )
            rows.append(question)
            themes += [(pk, t) for t in self.rng.sample(self.themes, 1)]
            villes += [(pk, self._town()) for _ in range(self.rng.choice([0, 1]))]
            for k in range(self.rng.choice([0, 1, 2, 2, 3, 3, 4, 5])):
                messages.append(
                    Message(
                        question_id=pk,
                        auteur_id=self.rng.choice(self.leads),
                        corps=self._words(15, 50),
                        masque=self.rng.random() < 0.02,
                        cree_le=question.cree_le + timedelta(hours=6 * (k + 1)),
                    )
                )
        copy_objects(Question, rows)
        self._links(Question, "themes", themes)
        self._links(Question, "villes", villes)
        copy_objects(Message, messages, with_pk=False)
        self._step(f"questions (et {len(messages)} réponses)", started, n)

    # Meetings --------------------------------------------------------------------------------

    def meetings(self) -> None:
        started = time.perf_counter()
        n = self.niveau.rencontres
        first = reserve_ids(Rencontre, n)
        types = [c for c, _ in Rencontre.Type.choices]
        rows, inscriptions, materiaux = [], [], []
        members = [u.pk for u in self.users if u.role != Role.EQUIPE]
        for i in range(n):
            pk = first + i
            # Six years of past meetings and about fifteen per cent ahead (the agenda).
            debut = self._date(years_back=6, years_ahead=1.05).replace(minute=0, second=0, microsecond=0)
            past = debut < self.now
            if past:
                statut = Rencontre.Statut.TENUE if self.rng.random() < 0.95 else Rencontre.Statut.ANNULEE
            else:
                statut = Rencontre.Statut.PUBLIEE if self.rng.random() < 0.9 else Rencontre.Statut.BROUILLON
            capacite = self.rng.choice([None, 30, 60, 120, 200])
            rows.append(
                Rencontre(
                    pk=pk,
                    type=self.rng.choice(types),
                    titre=self._words(3, 6).capitalize(),
                    resume=self._words(20, 50),
                    debut=debut,
                    fin=debut + timedelta(hours=self.rng.choice([2, 3, 7])),
                    format=self.rng.choice([c for c, _ in Rencontre.Format.choices]),
                    ville_id=self._town(),
                    visibilite=self.rng.choice([Visibilite.PUBLIC, Visibilite.PARTENAIRES, Visibilite.RESEAU]),
                    capacite=capacite,
                    statut=statut,
                    cree_par_id=self.rng.choice(self.staff),
                    publiee_le=debut - timedelta(days=30) if statut != Rencontre.Statut.BROUILLON else None,
                    annulee_le=debut - timedelta(days=3) if statut == Rencontre.Statut.ANNULEE else None,
                )
            )
            if statut == Rencontre.Statut.BROUILLON:
                continue
            count = min(self.rng.randint(3, 30), capacite or 30)
            for membre in self.rng.sample(members, min(count, len(members))):
                inscriptions.append(
                    Inscription(
                        rencontre_id=pk,
                        membre_id=membre,
                        statut=Inscription.Statut.INSCRIT,
                        present=self.rng.random() < 0.8 if past else None,
                    )
                )
            if past and len(self.ressources) >= 2:
                materiaux += [(pk, r) for r in self.rng.sample(self.ressources, 2)]
        copy_objects(Rencontre, rows)
        copy_objects(Inscription, inscriptions, with_pk=False)
        self._links(Rencontre, "materiaux", materiaux)
        index_refresh(RENCONTRE, [r.pk for r in rows])
        self._step(f"rencontres (et {len(inscriptions)} inscriptions, index de recherche)", started, n)

    # Press -----------------------------------------------------------------------------------

    def press(self) -> None:
        through = (ArticlePresse.villes.through, ArticlePresse.themes.through)
        with indexes_deferred(ArticlePresse, Parution, *through):
            started = time.perf_counter()
            self._press()
        self._step("index de la presse reconstruits", started)

    def _press(self) -> None:
        started = time.perf_counter()
        departements = sorted(set(Ville.objects.values_list("departement_code", flat=True)))
        sources = Source.objects.bulk_create(
            [
                Source(
                    nom=f"Titre de presse {i + 1} ({departements[i % len(departements)]})",
                    site_web=f"https://presse-{i + 1}.example/",
                    departements=departements[i % len(departements)],
                )
                for i in range(self.niveau.sources)
            ]
        )
        n = self.niveau.articles
        first = reserve_ids(ArticlePresse, n)
        rows, villes, themes, parutions = [], [], [], []
        kept_by_week: dict[tuple[int, int], list[int]] = {}
        for i in range(n):
            pk = first + i
            statut = self.rng.choice(STATUTS_PRESSE)
            town = self._town()
            titre = f"{self._words(5, 11).capitalize()} ({i})"
            publie = self._date()
            rows.append(
                ArticlePresse(
                    pk=pk,
                    titre=titre,
                    empreinte=title_fingerprint(titre),
                    publie_le=publie,
                    statut=statut,
                    visibilite=self.rng.choice([Visibilite.PUBLIC] * 3 + [Visibilite.PARTENAIRES] * 6 + ["reseau"]),
                    resume=self._words(10, 30) if statut == ArticlePresse.Statut.RETENU else "",
                    trie_le=publie + timedelta(days=1) if statut != ArticlePresse.Statut.A_TRIER else None,
                    cree_le=publie,
                )
            )
            if statut != ArticlePresse.Statut.HORS_PERIMETRE:
                villes.append((pk, town))
                if self.rng.random() < 0.2:
                    villes.append((pk, self._town()))
                themes += [(pk, t) for t in self.rng.sample(self.themes, self.rng.choice([0, 1, 1, 2]))]
            if statut == ArticlePresse.Statut.RETENU:
                kept_by_week.setdefault(tuple(publie.isocalendar()[:2]), []).append(pk)
            for source in self.rng.sample(sources, min(len(sources), 1 if self.rng.random() < 0.8 else 2)):
                url = f"https://presse-{source.pk}.example/{pk}"
                parutions.append(
                    Parution(
                        article_id=pk,
                        source_id=source.pk,
                        url=url,
                        url_canonique=url,
                        guid=url,
                        titre=titre,
                        publie_le=publie,
                    )
                )
        copy_objects(ArticlePresse, rows)
        self._step("articles de presse", started, n)
        started = time.perf_counter()
        copy_objects(Parution, parutions, with_pk=False)
        self._links(ArticlePresse, "villes", villes)
        self._links(ArticlePresse, "themes", themes)
        self._step("parutions et étiquettes", started, len(parutions))

        started = time.perf_counter()
        weeks = sorted(kept_by_week)[-min(len(kept_by_week), 52 * 6) :]
        first = reserve_ids(Edition, len(weeks))
        editions, links = [], []
        for i, (year, week) in enumerate(weeks):
            debut = dt.date.fromisocalendar(year, week, 1)
            published = i < len(weeks) - 1
            editions.append(
                Edition(
                    pk=first + i,
                    titre=f"Panorama de presse — semaine {week} de {year}",
                    debut=debut,
                    fin=debut + timedelta(days=6),
                    introduction=self._words(20, 40),
                    statut=Edition.Statut.PUBLIEE if published else Edition.Statut.BROUILLON,
                    visibilite=Visibilite.PARTENAIRES,
                    publiee_le=timezone.make_aware(dt.datetime.combine(debut + timedelta(days=7), dt.time(9)))
                    if published
                    else None,
                    auteur_id=self.rng.choice(self.staff),
                )
            )
            kept = kept_by_week[(year, week)]
            links += [(first + i, a) for a in self.rng.sample(kept, min(len(kept), 40))]
        copy_objects(Edition, editions)
        self._links(Edition, "articles", links)
        self._step("éditions du panorama", started, len(editions))
