"""Inviting many people from one CSV file: read, check every line, show a preview, then send.

:func:`batch_read` checks the file and each of its lines against the database (accounts,
invitations already pending, organisations, towns) in a fixed number of queries, and returns a
:class:`Batch` that the preview shows line by line. Nothing is written: staff confirm, and
:func:`villes.services.invitations_send` sends the lines that are ready.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import prefetch_related_objects
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from reseau_acv.comptes.models import Invitation, Organisation, Role, User
from reseau_acv.comptes.services import OrganisationDraft
from reseau_acv.core.csvimport import CsvImportError, csv_read

from . import pickers, selectors
from .models import Mission, Ville
from .services import InvitationPlan

MAX_LINES = 500
REQUIRED_COLUMNS = ("email", "organisation")
OPTIONAL_COLUMNS = ("prenom", "nom", "role", "villes", "fonction", "mission", "type_organisation")
TEMPLATE_CSV = (
    "email,prenom,nom,role,organisation,villes,fonction,mission\r\n"
    "ines.garnier@cc-septaine.fr,Inès,Garnier,chef_de_projet,CC La Septaine,Avord;Baugy,"
    "Cheffe de projet Petites villes de demain,\r\n"
    "paul.roy@banquedesterritoires.fr,Paul,Roy,partenaire,Banque des Territoires,,Chargé de mission,\r\n"
)


def _key(value: str) -> str:
    return slugify(value).replace("-", "_")


ROLES = {
    **{_key(value): value for value in Role.values},
    **{_key(str(label)): value for value, label in Role.choices},
    "chef_de_projet": Role.CHEF_DE_PROJET,
    "cheffe_de_projet": Role.CHEF_DE_PROJET,
    "chef_fe_de_projet": Role.CHEF_DE_PROJET,
    "equipe": Role.EQUIPE,
}
MISSIONS = {
    "": "",
    **{_key(value): value for value in Mission.Intitule.values},
    **{_key(str(label)): value for value, label in Mission.Intitule.choices},
    "acv": Mission.Intitule.CHEF_ACV,
    "pvd": Mission.Intitule.CHEF_PVD,
    "collaboratrice": Mission.Intitule.COLLABORATEUR,
    "elue": Mission.Intitule.ELU,
}
TYPES = {
    "": Organisation.Type.AUTRE,
    **{_key(value): value for value in Organisation.Type.values},
    **{_key(str(label)): value for value, label in Organisation.Type.choices},
}


@dataclass
class BatchLine:
    """One line of the file, as the preview shows it."""

    line: int
    email: str = ""
    prenom: str = ""
    nom: str = ""
    role: str = ""
    organisation: Organisation | OrganisationDraft | None = None
    organisation_note: str = ""
    villes: list[Ville] = field(default_factory=list)
    intitule: str = ""
    fonction: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""

    @property
    def missions(self) -> list[tuple[Ville, str]]:
        """Each town with the title the lead will have there."""
        return [
            (ville, str(Mission.Intitule(self.intitule or Mission.intitule_for(ville)).label)) for ville in self.villes
        ]

    def plan(self, *, message: str) -> InvitationPlan:
        return InvitationPlan(
            email=self.email,
            role=self.role,
            organisation=self.organisation,
            villes=self.villes,
            intitule=self.intitule,
            prenom=self.prenom,
            nom=self.nom,
            fonction=self.fonction,
            message=message,
        )


@dataclass
class Batch:
    filename: str
    encoding: str = "UTF-8"
    lines: list[BatchLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the file as a whole cannot be read

    @property
    def ready(self) -> list[BatchLine]:
        return [line for line in self.lines if line.ok]

    @property
    def refused(self) -> list[BatchLine]:
        return [line for line in self.lines if not line.ok]

    @property
    def fingerprint(self) -> list[str]:
        """What confirming would send: compared at confirmation with what the preview showed."""
        return sorted(line.email for line in self.ready)

    def plans(self, *, message: str = "") -> list[InvitationPlan]:
        return [line.plan(message=message) for line in self.ready]


def town_problem(token: str, resolution: pickers.Resolution) -> str | None:
    """Why a town written in the file names no single town, or None."""
    if token in resolution.by_token:
        return None
    if token in resolution.ambiguous:
        choices = ", ".join(f"{v.nom} ({v.departement_code}, {v.code_insee})" for v in resolution.ambiguous[token][:6])
        return _("« %(nom)s » désigne plusieurs communes : %(choix)s ; donnez le code INSEE ou « Nom (dép.) ».") % {
            "nom": token,
            "choix": choices,
        }
    return _("ville ou commune inconnue : « %(nom)s » (vérifiez l'orthographe ou donnez le code INSEE)") % {
        "nom": token
    }


def batch_read(data: bytes, *, filename: str) -> Batch:
    """Read and check a CSV file of invitations; write nothing.

    Accepts UTF-8 (with or without a byte order mark) and Windows-1252 (Excel's « CSV »), commas or
    semicolons. Runs a fixed number of queries whatever the number of lines.
    """
    batch = Batch(filename=filename)
    try:
        table = csv_read(
            data,
            filename=filename,
            required=REQUIRED_COLUMNS,
            unique_by=("email",),
            encodings=("utf-8-sig", "cp1252"),
        )
    except CsvImportError as error:
        batch.problems = [str(problem) for problem in error.problems]
        return batch
    batch.encoding = table.encoding
    if len(table.rows) > MAX_LINES:
        batch.problems = [
            _("%(file)s : %(n)s lignes ; envoyez au plus %(max)s invitations par fichier.")
            % {"file": filename, "n": len(table.rows), "max": MAX_LINES}
        ]
        return batch
    unknown_columns = [c for c in table.columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown_columns:
        batch.problems = [
            _("%(file)s, ligne 1 : colonne inconnue %(cols)s (colonnes possibles : %(known)s)")
            % {
                "file": filename,
                "cols": ", ".join(f"« {c} »" for c in unknown_columns),
                "known": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
            }
        ]
        return batch

    rows = table.rows
    emails = [row.get("email", "").lower() for _line, row in rows]
    members = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    waiting = dict(Invitation.objects.pending().filter(email__in=emails).values_list("email", "envoyee_le"))
    organisations = selectors.organisations_by_name([row.get("organisation", "") for _line, row in rows])
    epcis = {epci.nom.casefold(): epci for epci in selectors.intercommunalites()}
    towns = pickers.resolve([row.get("villes", "") for _line, row in rows])
    prefetch_related_objects(towns.villes, "programmes")  # each town's programme gives the lead's title

    for line_number, row in rows:
        line = BatchLine(
            line=line_number,
            email=row.get("email", "").lower(),
            prenom=row.get("prenom", "")[:150],
            nom=row.get("nom", "")[:150],
            fonction=row.get("fonction", "")[:150],
        )
        errors = line.errors
        try:
            validate_email(line.email)
        except ValidationError:
            errors.append(_("adresse e-mail invalide : « %(email)s »") % {"email": line.email})
        if line.email in members:
            errors.append(_("un compte existe déjà pour cette adresse"))
        elif line.email in waiting:
            errors.append(
                _(
                    "une invitation est déjà en attente pour cette adresse (envoyée le %(date)s) : renvoyez-la depuis la liste"
                )
                % {"date": date_format(localtime(waiting[line.email]), "j F Y")}
            )
        line.role = ROLES.get(_key(row.get("role", "")), "")
        if not line.role:
            errors.append(
                _("rôle « %(role)s » inconnu : chef_de_projet, partenaire ou equipe") % {"role": row.get("role", "")}
            )
        name = row.get("organisation", "")
        kind = TYPES.get(_key(row.get("type_organisation", "")))
        if not name:
            errors.append(_("organisation manquante"))
        elif name.casefold() in organisations:
            line.organisation = organisations[name.casefold()]
        elif name.casefold() in epcis:
            epci = epcis[name.casefold()]
            line.organisation = OrganisationDraft(nom=epci.nom, type=Organisation.Type.COLLECTIVITE, siren=epci.siren)
            line.organisation_note = _("intercommunalité de la région, sera créée")
        elif kind is None:
            errors.append(
                _("type d'organisation « %(type)s » inconnu (%(choix)s)")
                % {"type": row.get("type_organisation", ""), "choix": ", ".join(Organisation.Type.values)}
            )
        else:
            line.organisation = OrganisationDraft(nom=name[:200], type=kind)
            line.organisation_note = _("nouvelle organisation, sera créée")
        mission = _key(row.get("mission", ""))
        if mission not in MISSIONS:
            errors.append(
                _("mission « %(m)s » inconnue : acv, pvd, collaborateur ou elu") % {"m": row.get("mission", "")}
            )
        else:
            line.intitule = MISSIONS[mission]
        written = pickers.tokens([row.get("villes", "")])
        for token in written:
            problem = town_problem(token, towns)
            if problem:
                errors.append(problem)
            elif towns.by_token[token] not in line.villes:
                line.villes.append(towns.by_token[token])
        if line.role == Role.CHEF_DE_PROJET and not written:
            errors.append(_("une ville au moins pour un·e chef·fe de projet (colonne « villes »)"))
        batch.lines.append(line)

    for problem in table.problems:  # short, long or repeated lines: shown in their place
        batch.lines.append(BatchLine(line=problem.line or 0, errors=[problem.reason]))
    batch.lines.sort(key=lambda line: line.line)
    return batch
