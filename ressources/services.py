"""Writes of the library: contribute, moderate, discuss.

Each function is keyword-only, takes the acting member, checks permission, runs in one
transaction, records moderation acts and records e-mails in the outbox in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reseau_acv.core import notifications
from reseau_acv.core.markdown import markdown_to_text
from reseau_acv.core.mentions import find_mentions
from reseau_acv.core.notifications import Audience, notify
from reseau_acv.core.outbox import Outgoing, render_email
from reseau_acv.core.permissions import may_moderate

from . import permissions
from .models import (
    ActeModeration,
    FichierVersion,
    Message,
    Question,
    Ressource,
    RetourExperience,
    Signalement,
    Sollicitation,
    Statut,
    Utile,
)
from .recherche import refresh as search_refresh
from .uploads import verify_upload

Moderable = Ressource | RetourExperience | Question
Fil = Question | Ressource | RetourExperience

RESSOURCE_FIELDS = (
    "titre",
    "resume",
    "corps",
    "type",
    "lien",
    "programme",
    "source",
    "date_document",
    "visibilite",
)
RETOUR_FIELDS = (
    "titre",
    "ville",
    "contexte",
    "difficulte",
    "type_difficulte",
    "leviers",
    "type_levier",
    "resultat",
    "partenaires",
    "contacts",
    "visibilite",
)
QUESTION_FIELDS = ("titre", "corps", "visibilite")


# --- helpers ---------------------------------------------------------------------------------


RESERVED_SLUGS = {"proposer", "moderation", "retours", "questions", "messages", "poser"}


def _unique_slug(model, titre: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(titre)[:200] or "contenu"
    if base in RESERVED_SLUGS:
        base = f"{base}-1"
    slug, n = base, 2
    existing = model.objects.filter(slug__startswith=base)
    if exclude_pk:
        existing = existing.exclude(pk=exclude_pk)
    taken = set(existing.values_list("slug", flat=True))
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _record(*, actor, action: str, obj, motif: str = "") -> ActeModeration:
    return ActeModeration.objects.create(
        acteur=actor,
        action=action,
        cible_type=ContentType.objects.get_for_model(type(obj)),
        cible_id=obj.pk,
        cible_titre=str(obj)[:255],
        motif=motif,
    )


def _initial_status(*, actor, submit: bool) -> str:
    if may_moderate(actor):
        return Statut.PUBLIE if submit else Statut.BROUILLON
    return Statut.PROPOSE if submit else Statut.BROUILLON


def _apply_status(*, actor, obj, submit: bool) -> list[str]:
    """Status after a contribution is saved: staff publish directly, leads propose.

    A lead's edit of published content goes back to the team's queue like a new proposal, so
    that an edit cannot widen its visibility or replace its file unseen."""
    changed: list[str] = []
    new = _initial_status(actor=actor, submit=submit)
    if obj.statut == Statut.PUBLIE and not submit:
        new = Statut.BROUILLON
    if new != obj.statut:
        obj.statut = new
        changed.append("statut")
    if new == Statut.PUBLIE and obj.publie_le is None:
        obj.publie_le = timezone.now()
        changed.append("publie_le")
    return changed


def _after_contribution(*, actor, obj, was: str | None) -> None:
    if obj.statut == was:
        return
    if obj.statut == Statut.PROPOSE:
        _record(actor=actor, action=ActeModeration.Action.PROPOSER, obj=obj)
    elif obj.statut == Statut.PUBLIE:
        _record(actor=actor, action=ActeModeration.Action.PUBLIER, obj=obj)


def _stored_name(*, titre: str, extension: str) -> str:
    return f"{slugify(titre)[:80] or 'fichier'}.{extension}"


def _attach_file(*, actor, ressource: Ressource, fichier: UploadedFile) -> FichierVersion:
    verified = verify_upload(fichier)  # raises before anything is stored
    original = Path(fichier.name or "fichier").name[:200]
    numero = (ressource.versions.aggregate(m=Max("numero"))["m"] or 0) + 1
    version = FichierVersion(
        ressource=ressource,
        numero=numero,
        nom=f"{Path(original).stem[:180] or 'fichier'}.{verified.extension}",
        type_mime=verified.type_mime,
        taille=verified.taille,
        auteur=actor,
    )
    version.fichier.save(_stored_name(titre=ressource.titre, extension=verified.extension), fichier, save=False)
    version.save()
    ressource.fichier = version.fichier.name
    ressource.fichier_nom = version.nom
    ressource.fichier_type = version.type_mime
    ressource.fichier_taille = version.taille
    ressource.save(update_fields=["fichier", "fichier_nom", "fichier_type", "fichier_taille", "modifie_le"])
    return version


# --- resources -------------------------------------------------------------------------------


@transaction.atomic
def ressource_create(
    *,
    actor,
    data: dict,
    themes: Iterable = (),
    villes: Iterable = (),
    fichier: UploadedFile | None = None,
    submit: bool = True,
) -> Ressource:
    """A lead proposes a resource (it waits for moderation); staff publish it directly."""
    if not permissions.can_contribute(actor):
        raise PermissionDenied
    if fichier is not None:
        verify_upload(fichier)
    if not fichier and not data.get("lien"):
        raise ValidationError(_("Joignez un fichier ou indiquez un lien."))
    ressource = Ressource(auteur=actor, **{k: data[k] for k in RESSOURCE_FIELDS if k in data})
    ressource.slug = _unique_slug(Ressource, ressource.titre)
    _apply_status(actor=actor, obj=ressource, submit=submit)
    ressource.full_clean(exclude=["fichier", "slug"])
    ressource.save()
    ressource.themes.set(themes)
    ressource.villes.set(villes)
    if fichier is not None:
        _attach_file(actor=actor, ressource=ressource, fichier=fichier)
    search_refresh(ressource)
    _after_contribution(actor=actor, obj=ressource, was=None)
    notifications.follow_automatically(users=[actor], target=ressource)
    return ressource


@transaction.atomic
def ressource_update(
    *,
    actor,
    ressource: Ressource,
    data: dict,
    themes: Iterable | None = None,
    villes: Iterable | None = None,
    fichier: UploadedFile | None = None,
    submit: bool = True,
) -> Ressource:
    """The author or staff edit a resource; a new file becomes a new version."""
    if not permissions.can_edit(actor, ressource):
        raise PermissionDenied
    if fichier is not None:
        verify_upload(fichier)
    was = ressource.statut
    fields = [k for k in RESSOURCE_FIELDS if k in data]
    for key in fields:
        setattr(ressource, key, data[key])
    if not fichier and not ressource.fichier and not ressource.lien:
        raise ValidationError(_("Joignez un fichier ou indiquez un lien."))
    fields += _apply_status(actor=actor, obj=ressource, submit=submit)
    ressource.full_clean(exclude=["fichier", "slug"])
    ressource.save(update_fields=[*fields, "modifie_le"])
    if themes is not None:
        ressource.themes.set(themes)
    if villes is not None:
        ressource.villes.set(villes)
    if fichier is not None:
        _attach_file(actor=actor, ressource=ressource, fichier=fichier)
    search_refresh(ressource)
    _after_contribution(actor=actor, obj=ressource, was=was)
    return ressource


# --- experience sheets -----------------------------------------------------------------------


@transaction.atomic
def retour_create(
    *, actor, data: dict, themes: Iterable = (), ressources: Iterable = (), submit: bool = True
) -> RetourExperience:
    if not permissions.can_contribute(actor):
        raise PermissionDenied
    retour = RetourExperience(auteur=actor, **{k: data[k] for k in RETOUR_FIELDS if k in data})
    retour.slug = _unique_slug(RetourExperience, retour.titre)
    _apply_status(actor=actor, obj=retour, submit=submit)
    retour.full_clean(exclude=["slug"])
    retour.save()
    retour.themes.set(themes)
    retour.ressources.set(ressources)
    search_refresh(retour)
    _after_contribution(actor=actor, obj=retour, was=None)
    notifications.follow_automatically(users=[actor], target=retour)
    return retour


@transaction.atomic
def retour_update(
    *,
    actor,
    retour: RetourExperience,
    data: dict,
    themes: Iterable | None = None,
    ressources: Iterable | None = None,
    submit: bool = True,
) -> RetourExperience:
    if not permissions.can_edit(actor, retour):
        raise PermissionDenied
    was = retour.statut
    fields = [k for k in RETOUR_FIELDS if k in data]
    for key in fields:
        setattr(retour, key, data[key])
    fields += _apply_status(actor=actor, obj=retour, submit=submit)
    retour.full_clean(exclude=["slug"])
    retour.save(update_fields=[*fields, "modifie_le"])
    if themes is not None:
        retour.themes.set(themes)
    if ressources is not None:
        retour.ressources.set(ressources)
    search_refresh(retour)
    _after_contribution(actor=actor, obj=retour, was=was)
    return retour


# --- the author's next step: propose a draft, withdraw a proposal ----------------------------


Proposable = Ressource | RetourExperience


def _require_author(actor, obj) -> None:
    """Only the author proposes or withdraws their contribution (staff act through moderation)."""
    if not permissions.can_edit(actor, obj) or obj.auteur_id != actor.pk or isinstance(obj, Question):
        raise PermissionDenied


@transaction.atomic
def contenu_propose(*, actor, obj: Proposable) -> Proposable:
    """The author sends a saved draft (or a sent-back contribution) to the team in one step;
    staff's own drafts are published. Proposing what is already proposed changes nothing."""
    _require_author(actor, obj)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.statut in (Statut.PROPOSE, Statut.PUBLIE):
        return obj
    if obj.statut not in (Statut.BROUILLON, Statut.RENVOYE):
        raise ValidationError(_("Ce contenu est masqué : modifiez-le pour le proposer à nouveau."))
    was = obj.statut
    fields = _apply_status(actor=actor, obj=obj, submit=True)
    obj.save(update_fields=[*fields, "modifie_le"])
    _after_contribution(actor=actor, obj=obj, was=was)
    return obj


@transaction.atomic
def contenu_withdraw(*, actor, obj: Proposable) -> Proposable:
    """The author takes back a proposal or a published contribution: it becomes a draft again,
    seen only by them and the team. Withdrawing a draft changes nothing."""
    _require_author(actor, obj)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.statut not in (Statut.PROPOSE, Statut.PUBLIE):
        return obj
    obj.statut = Statut.BROUILLON
    obj.save(update_fields=["statut", "modifie_le"])
    _record(actor=actor, action=ActeModeration.Action.RETIRER, obj=obj)
    return obj


# --- moderation ------------------------------------------------------------------------------


def _require_moderator(actor) -> None:
    if not may_moderate(actor):
        raise PermissionDenied


def _tell_author(*, actor, purpose: str, obj, motif: str = "") -> None:
    """The author hears of the moderation outcome: a notification, and the e-mail as they chose
    (at once by default), which keeps its own wording and its key per decision."""
    auteur = obj.auteur
    if auteur is None:
        return
    key = f"{obj._meta.label_lower}:{obj.pk}:{obj.modifie_le:%Y%m%d%H%M%S%f}"
    if purpose == "publication":
        text = _("Votre contribution « %(titre)s » est publiée.") % {"titre": obj}
    else:
        text = _("Votre contribution « %(titre)s » vous est renvoyée : %(motif)s") % {"titre": obj, "motif": motif}

    def email(user):
        return Outgoing(
            purpose=f"ressources.{purpose}",
            obj=key,
            to=user.email,
            email=render_email(f"ressources/{purpose}", {"objet": obj, "auteur": user, "motif": motif}),
        )

    notify(
        kind="moderation",
        event=f"moderation:{key}",
        actor=actor,
        recipients=[auteur],
        text=text[:300],
        target=obj,
        visible_to=type(obj).objects.visible_to,
        url=obj.get_absolute_url(),
        excerpt=motif,
        email=email,
    )


@transaction.atomic
def contenu_publish(*, actor, obj: Moderable) -> Moderable:
    """Staff publish a proposed (or sent back, or hidden) contribution; its author is told."""
    _require_moderator(actor)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.statut == Statut.PUBLIE:
        return obj
    obj.statut = Statut.PUBLIE
    obj.motif_moderation = ""
    fields = ["statut", "motif_moderation", "modifie_le"]
    if obj.publie_le is None:
        obj.publie_le = timezone.now()
        fields.append("publie_le")
    obj.save(update_fields=fields)
    _record(actor=actor, action=ActeModeration.Action.PUBLIER, obj=obj)
    _tell_author(actor=actor, purpose="publication", obj=obj)
    return obj


@transaction.atomic
def contenu_send_back(*, actor, obj: Moderable, motif: str) -> Moderable:
    """Staff send a contribution back to its author with a reason, told by e-mail."""
    _require_moderator(actor)
    motif = motif.strip()
    if not motif:
        raise ValidationError({"motif": _("Indiquez à l'auteur ce qu'il faut reprendre.")})
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.statut == Statut.RENVOYE:
        return obj
    obj.statut = Statut.RENVOYE
    obj.motif_moderation = motif
    obj.save(update_fields=["statut", "motif_moderation", "modifie_le"])
    _record(actor=actor, action=ActeModeration.Action.RENVOYER, obj=obj, motif=motif)
    _tell_author(actor=actor, purpose="renvoi", obj=obj, motif=motif)
    return obj


@transaction.atomic
def contenu_hide(*, actor, obj: Moderable, motif: str) -> Moderable:
    """Staff hide content with a reason: it leaves lists and search for all but staff and author."""
    _require_moderator(actor)
    motif = motif.strip()
    if not motif:
        raise ValidationError({"motif": _("Indiquez pourquoi ce contenu est masqué.")})
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    obj.statut = Statut.MASQUE
    obj.motif_moderation = motif
    obj.save(update_fields=["statut", "motif_moderation", "modifie_le"])
    _record(actor=actor, action=ActeModeration.Action.MASQUER, obj=obj, motif=motif)
    return obj


# --- questions and messages ------------------------------------------------------------------


@transaction.atomic
def question_create(*, actor, data: dict, themes: Iterable = (), villes: Iterable = ()) -> Question:
    """A lead asks the network; the question is published at once (staff may hide it)."""
    if not permissions.can_contribute(actor):
        raise PermissionDenied
    question = Question(auteur=actor, **{k: data[k] for k in QUESTION_FIELDS if k in data})
    question.slug = _unique_slug(Question, question.titre)
    question.statut = Statut.PUBLIE
    question.publie_le = timezone.now()
    question.full_clean(exclude=["slug"])
    question.save()
    question.themes.set(themes)
    question.villes.set(villes)
    search_refresh(question)
    notifications.follow_automatically(users=[actor], target=question)
    _tell_theme_and_town_followers(actor=actor, question=question)
    return question


def _tell_theme_and_town_followers(*, actor, question: Question) -> None:
    """Members who follow one of the question's themes or towns hear of it (in their digest by default)."""
    targets = [*question.themes.all(), *question.villes.all()]
    if not targets:
        return
    notify(
        kind="nouvelle_question",
        event=f"question:{question.pk}",
        actor=actor,
        recipients=get_user_model().objects.filter(pk__in=notifications.followers(*targets)),
        text=_("Nouvelle question sur un thème ou une ville que vous suivez"),
        target=question,
        visible_to=Question.objects.visible_to,
        url=question.get_absolute_url(),
        excerpt=question.corps,
    )


@transaction.atomic
def message_create(*, actor, fil: Fil, corps: str) -> Message:
    """A member answers a question or comments a resource or an experience sheet."""
    if not type(fil).objects.visible_to(actor).filter(pk=fil.pk).exists():
        raise PermissionDenied
    if not permissions.can_comment(actor, fil):
        raise PermissionDenied
    corps = corps.strip()
    if not corps:
        raise ValidationError({"corps": _("Le message est vide.")})
    field = {Question: "question", Ressource: "ressource", RetourExperience: "retour"}[type(fil)]
    message = Message.objects.create(auteur=actor, corps=corps, **{field: fil})
    mentioned = find_mentions(corps)
    if mentioned:
        message.mentions.set(mentioned)
    search_refresh(message)  # answers and comments are searched with their thread
    _tell_thread(actor=actor, fil=fil, message=message, mentioned=mentioned)
    notifications.follow_automatically(users=[actor], target=fil)
    return message


def _tell_thread(*, actor, fil: Fil, message: Message, mentioned: list) -> None:
    """An answer or a comment: the thread's author (if they still follow it), the members it
    mentions, and the thread's followers are told, each once, if they may see it."""
    nom = actor.get_full_name() or _("Un membre du réseau")
    followers = set(notifications.followers(fil))
    author = [fil.auteur_id] if fil.auteur_id in followers else []
    if isinstance(fil, Question):
        to_author = _("%(nom)s a répondu à votre question") % {"nom": nom}
        to_followers = _("%(nom)s a répondu à une question que vous suivez") % {"nom": nom}
    else:
        to_author = _("%(nom)s a commenté votre contribution") % {"nom": nom}
        to_followers = _("%(nom)s a commenté un contenu que vous suivez") % {"nom": nom}
    notify(
        event=f"message:{message.pk}",
        actor=actor,
        target=message,
        visible_to=Message.objects.visible_to,
        url=message.get_absolute_url(),
        thread=fil,
        excerpt=markdown_to_text(message.corps),
        audiences=[
            Audience("reponse" if isinstance(fil, Question) else "commentaire", author, to_author),
            Audience("mention", mentioned, _("%(nom)s vous a mentionné·e") % {"nom": nom}),
            Audience("suivi", followers, to_followers),
        ],
    )


@transaction.atomic
def message_hide(*, actor, message: Message, motif: str) -> Message:
    _require_moderator(actor)
    motif = motif.strip()
    if not motif:
        raise ValidationError({"motif": _("Indiquez pourquoi ce message est masqué.")})
    message.masque = True
    message.motif_masquage = motif
    message.save(update_fields=["masque", "motif_masquage", "modifie_le"])
    message.signalements.filter(traite=False).update(traite=True)
    search_refresh(message)  # a hidden answer no longer makes its thread found
    _record(actor=actor, action=ActeModeration.Action.MASQUER, obj=message, motif=motif)
    return message


@transaction.atomic
def message_report(*, actor, message: Message, motif: str) -> Signalement:
    """A member reports a message to staff (once per member and message)."""
    if not permissions.can_report(actor, message):
        raise PermissionDenied
    motif = motif.strip()
    if not motif:
        raise ValidationError({"motif": _("Dites en quelques mots ce qui pose problème.")})
    signalement, created = Signalement.objects.get_or_create(message=message, auteur=actor, defaults={"motif": motif})
    if created:
        _record(actor=actor, action=ActeModeration.Action.SIGNALER, obj=message, motif=motif)
    return signalement


@transaction.atomic
def question_accept_answer(*, actor, question: Question, message: Message | None) -> Question:
    """The author (or staff) marks the answer that helped."""
    if not permissions.can_accept_answer(actor, question):
        raise PermissionDenied
    if message is not None and (message.question_id != question.pk or message.masque):
        raise ValidationError(_("Cette réponse n'appartient pas à cette question."))
    question.reponse_retenue = message
    question.save(update_fields=["reponse_retenue", "modifie_le"])
    if message is not None and message.auteur_id:
        notify(
            kind="reponse_retenue",
            event=f"reponse_retenue:{message.pk}",
            actor=actor,
            recipients=[message.auteur_id],
            text=_("Votre réponse est retenue par l'auteur de la question"),
            target=message,
            visible_to=Message.objects.visible_to,
            url=message.get_absolute_url(),
            thread=question,
        )
    return question


@transaction.atomic
def question_set_pinned(*, actor, question: Question, epinglee: bool) -> Question:
    _require_moderator(actor)
    if question.epinglee != epinglee:
        question.epinglee = epinglee
        question.save(update_fields=["epinglee", "modifie_le"])
        action = ActeModeration.Action.EPINGLER if epinglee else ActeModeration.Action.DESEPINGLER
        _record(actor=actor, action=action, obj=question)
    return question


@transaction.atomic
def question_set_closed(*, actor, question: Question, fermee: bool) -> Question:
    _require_moderator(actor)
    if question.fermee != fermee:
        question.fermee = fermee
        question.save(update_fields=["fermee", "modifie_le"])
        _record(
            actor=actor, action=ActeModeration.Action.FERMER if fermee else ActeModeration.Action.ROUVRIR, obj=question
        )
    return question


# --- people who know: « solliciter » ------------------------------------------------------------


@transaction.atomic
def question_solicit(*, actor, question: Question, membres: Iterable) -> list[int]:
    """The asker (or staff) asks members to answer a published question: each is told once.

    Only members who may see the question, never its author nor the actor; for others than
    staff, only members of the directory. A member asked already is not told again. Returns the
    ids of the members newly asked."""
    if not permissions.can_solicit(actor, question):
        raise PermissionDenied
    if not question.is_published or question.fermee:
        raise ValidationError(_("Cette question n'attend plus de réponse."))
    wanted = {membre if isinstance(membre, int) else membre.pk for membre in membres}
    allowed = get_user_model().objects.able_to_see(question.visibilite).filter(pk__in=wanted)
    allowed = allowed.exclude(pk__in=[question.auteur_id or 0, actor.pk])
    if not may_moderate(actor):
        allowed = allowed.filter(consentement_annuaire=True)
    allowed_ids = set(allowed.values_list("pk", flat=True))
    if wanted - allowed_ids:
        raise ValidationError(_("Ce membre ne peut pas être sollicité pour cette question."))
    done = set(
        Sollicitation.objects.filter(question=question, membre_id__in=allowed_ids).values_list("membre_id", flat=True)
    )
    new = sorted(allowed_ids - done)
    if not new:
        return []
    Sollicitation.objects.bulk_create(
        [Sollicitation(question=question, membre_id=pk, par=actor) for pk in new], ignore_conflicts=True
    )
    notify(
        kind="sollicitation",
        event=f"sollicitation:{question.pk}",
        actor=actor,
        recipients=new,
        text=_("%(nom)s vous demande votre avis sur une question du réseau")
        % {"nom": actor.get_full_name() or actor.email},
        target=question,
        visible_to=Question.objects.visible_to,
        url=question.get_absolute_url(),
        thread=question,
        excerpt=question.corps,
    )
    return new


# --- « Utile » ---------------------------------------------------------------------------------

Utilisable = Ressource | RetourExperience | Message
UTILE_FIELD = {Ressource: "ressource", RetourExperience: "retour", Message: "message"}


@transaction.atomic
def utile_toggle(*, actor, obj: Utilisable, utile: bool | None = None) -> bool:
    """The member marks ``obj`` as useful, or takes the mark back (``utile`` says which; by
    default the opposite of now). Once per member and item; returns whether it is now marked."""
    model = type(obj)
    if not model.objects.visible_to(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied
    if not permissions.can_mark_useful(actor, obj):
        raise PermissionDenied
    field = UTILE_FIELD[model]
    model.objects.select_for_update().filter(pk=obj.pk).first()  # one toggle at a time per item
    marks = Utile.objects.filter(membre=actor, **{field: obj})
    marked = marks.exists()
    wanted = (not marked) if utile is None else utile
    if wanted and not marked:
        Utile.objects.create(membre=actor, **{field: obj})
    elif marked and not wanted:
        marks.delete()
    if wanted != marked:
        _utile_recount(model, [obj.pk])
    return wanted


def _utile_recount(model, pks) -> None:
    """Recount ``nb_utile`` of the items ``pks`` of ``model`` from their marks (one statement)."""
    field = UTILE_FIELD[model]
    count = Utile.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    model.objects.filter(pk__in=pks).update(nb_utile=Coalesce(Subquery(count), 0))


def utiles_forget_member(*, member) -> None:
    """Take back every « utile » mark of ``member`` (whose account is being deleted) and recount the
    items they marked, so that no count includes a member who is gone. A fixed number of queries."""
    marks = Utile.objects.filter(membre=member)
    marked = list(marks.values(*(f"{field}_id" for field in UTILE_FIELD.values())))
    if not marked:
        return
    marks.delete()
    for model, field in UTILE_FIELD.items():
        pks = {row[f"{field}_id"] for row in marked if row[f"{field}_id"] is not None}
        if pks:
            _utile_recount(model, pks)
