"""Editions: staff compose a period's panorama, publish it, and it is e-mailed to subscribers once."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reseau_acv.comptes.models import User
from reseau_acv.core.outbox import Outgoing, outbox_record_many, render_email
from reseau_acv.core.permissions import is_member
from reseau_acv.core.visibility import Visibilite

from .. import selectors
from ..models import AbonnementEdition, Edition, EditionArticle
from ..permissions import can_compose_edition, require


def edition_save(
    *,
    actor: User,
    titre: str,
    debut: date,
    fin: date,
    introduction: str,
    visibilite: str,
    regroupement: str = Edition.Regroupement.VILLE,
    edition: Edition | None = None,
) -> Edition:
    """Create or update a draft edition for a period.

    A new draft starts with every kept article of the period, oldest first: staff then remove,
    add and order them.
    """
    require(can_compose_edition(actor))
    if fin < debut:
        raise ValidationError(_("La fin de la période précède son début."))
    with transaction.atomic():
        created = edition is None
        if created:
            edition = Edition(auteur=actor)
        elif edition.statut == Edition.Statut.PUBLIEE:
            raise ValidationError(_("Une édition publiée ne se modifie plus."))
        edition.titre, edition.debut, edition.fin = titre.strip(), debut, fin
        edition.introduction, edition.visibilite, edition.regroupement = introduction, visibilite, regroupement
        edition.save()
        if created:
            ids = list(
                selectors.edition_candidates(edition=edition).order_by("publie_le", "pk").values_list("pk", flat=True)
            )
            EditionArticle.objects.bulk_create(
                [EditionArticle(edition=edition, article_id=pk, ordre=index) for index, pk in enumerate(ids)]
            )
    return edition


def _draft(edition: Edition) -> Edition:
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.statut == Edition.Statut.PUBLIEE:
        raise ValidationError(_("Une édition publiée ne se modifie plus."))
    return edition


def edition_articles_add(*, actor: User, edition: Edition, article_ids: list[int]) -> int:
    """Add kept articles of the period to a draft, after those already chosen; each article once."""
    require(can_compose_edition(actor))
    with transaction.atomic():
        edition = _draft(edition)
        allowed = set(
            selectors.edition_candidates(edition=edition).filter(pk__in=article_ids).values_list("pk", flat=True)
        )
        order = selectors.edition_order(edition=edition)
        rows = [pk for pk in dict.fromkeys(article_ids) if pk in allowed]
        EditionArticle.objects.bulk_create(
            [EditionArticle(edition=edition, article_id=pk, ordre=len(order) + index) for index, pk in enumerate(rows)],
            ignore_conflicts=True,
        )
    return len(rows)


def edition_article_remove(*, actor: User, edition: Edition, article_id: int) -> bool:
    """Take an article out of a draft."""
    require(can_compose_edition(actor))
    with transaction.atomic():
        edition = _draft(edition)
        deleted, _detail = EditionArticle.objects.filter(edition=edition, article_id=article_id).delete()
    return bool(deleted)


def edition_article_move(*, actor: User, edition: Edition, article_id: int, vers: str) -> bool:
    """Move an article up (``vers="haut"``) or down within its section of a draft."""
    require(can_compose_edition(actor))
    with transaction.atomic():
        edition = _draft(edition)
        sections = selectors.edition_sections(edition=edition, levels=[str(level) for level in Visibilite])
        for section in sections:
            ids = [article.pk for article in section.articles]
            if article_id in ids:
                index = ids.index(article_id)
                other = index - 1 if vers == "haut" else index + 1
                if not 0 <= other < len(ids):
                    return False
                ids[index], ids[other] = ids[other], ids[index]
                section.articles = [next(a for a in section.articles if a.pk == pk) for pk in ids]
                _renumber(edition, sections)
                return True
    return False


def edition_section_move(*, actor: User, edition: Edition, slug: str, vers: str) -> bool:
    """Move a whole section (a town or a theme, with its articles) up or down in a draft."""
    require(can_compose_edition(actor))
    with transaction.atomic():
        edition = _draft(edition)
        sections = selectors.edition_sections(edition=edition, levels=[str(level) for level in Visibilite])
        slugs = [section.slug for section in sections]
        if slug not in slugs:
            return False
        index = slugs.index(slug)
        other = index - 1 if vers == "haut" else index + 1
        if not 0 <= other < len(sections):
            return False
        sections[index], sections[other] = sections[other], sections[index]
        _renumber(edition, sections)
    return True


def _renumber(edition: Edition, sections) -> None:
    """Write the order the sections give (articles no longer kept keep their place at the end)."""
    ordered = [article.pk for section in sections for article in section.articles]
    choices = {choice.article_id: choice for choice in EditionArticle.objects.filter(edition=edition)}
    position = {pk: index for index, pk in enumerate(ordered)}
    for article_id, choice in choices.items():
        choice.ordre = position.get(article_id, len(ordered) + choice.ordre)
    EditionArticle.objects.bulk_update(list(choices.values()), ["ordre"])


def edition_publish(*, actor: User, edition: Edition) -> Edition:
    """Publish the articles staff chose, in their order, then e-mail the subscribers (once each)."""
    from ..tasks import edition_send_task

    require(can_compose_edition(actor))
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.statut == Edition.Statut.PUBLIEE:
            return edition
        if not selectors.edition_articles(edition=edition):
            raise ValidationError(_("Aucun article dans cette édition : choisissez-en avant de publier."))
        edition.statut = Edition.Statut.PUBLIEE
        edition.publiee_le = timezone.now()
        edition.save(update_fields=["statut", "publiee_le", "modifie_le"])
        edition_send_task.delay_on_commit(edition_id=edition.pk)
    return edition


def edition_send(*, edition_id: int) -> int:
    """Record the edition's e-mail for each subscriber who may see it; a second run adds nothing."""
    edition = selectors.edition_published(edition_id=edition_id)
    if edition is None:
        return 0
    email = render_email(
        "panorama/edition", {"edition": edition, "sections": selectors.edition_sections(edition=edition)}
    )
    recipients = selectors.edition_recipients(edition=edition).values_list("email", flat=True)
    messages = [Outgoing(purpose="panorama.edition", obj=edition.pk, to=address, email=email) for address in recipients]
    _recorded, created = outbox_record_many(messages)  # constant queries, however many subscribers
    return created


def abonnement_set(*, actor: User, actif: bool) -> AbonnementEdition:
    """A member subscribes to the editions by e-mail, or stops."""
    if not is_member(actor):
        raise PermissionDenied
    abonnement, _created = AbonnementEdition.objects.update_or_create(membre=actor, defaults={"actif": actif})
    return abonnement
