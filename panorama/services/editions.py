"""Editions: staff compose a period's panorama, publish it, and it is e-mailed to subscribers once."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reseau_acv.comptes.models import User
from reseau_acv.core.outbox import outbox_record, render_email
from reseau_acv.core.permissions import is_member

from .. import selectors
from ..models import AbonnementEdition, Edition
from ..permissions import can_compose_edition, require


def edition_save(
    *,
    actor: User,
    titre: str,
    debut: date,
    fin: date,
    introduction: str,
    visibilite: str,
    edition: Edition | None = None,
) -> Edition:
    """Create or update a draft edition for a period."""
    require(can_compose_edition(actor))
    if fin < debut:
        raise ValidationError(_("La fin de la période précède son début."))
    with transaction.atomic():
        if edition is None:
            edition = Edition(auteur=actor)
        elif edition.statut == Edition.Statut.PUBLIEE:
            raise ValidationError(_("Une édition publiée ne se modifie plus."))
        edition.titre, edition.debut, edition.fin = titre.strip(), debut, fin
        edition.introduction, edition.visibilite = introduction, visibilite
        edition.save()
    return edition


def edition_publish(*, actor: User, edition: Edition) -> Edition:
    """Publish: freeze the period's kept articles, then e-mail the subscribers (once each)."""
    from ..tasks import edition_send_task

    require(can_compose_edition(actor))
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.statut == Edition.Statut.PUBLIEE:
            return edition
        articles = list(selectors.edition_candidates(edition=edition))
        if not articles:
            raise ValidationError(_("Aucun article retenu sur cette période : rien à publier."))
        edition.articles.set(articles)
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
    groups = selectors.edition_groups(edition=edition, user=None, levels=edition.article_levels())
    email = render_email("panorama/edition", {"edition": edition, "groups": groups})
    created = 0
    with transaction.atomic():
        for user in selectors.edition_recipients(edition=edition):
            _message, new = outbox_record(purpose="panorama.edition", obj=edition.pk, to=user.email, email=email)
            created += new
    return created


def abonnement_set(*, actor: User, actif: bool) -> AbonnementEdition:
    """A member subscribes to the editions by e-mail, or stops."""
    if not is_member(actor):
        raise PermissionDenied
    abonnement, _created = AbonnementEdition.objects.update_or_create(membre=actor, defaults={"actif": actif})
    return abonnement
