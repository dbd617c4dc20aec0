"""Curation: staff keep or discard what the feeds brought; members suggest paywalled articles."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reseau_acv.comptes.models import User
from reseau_acv.core.models import Theme
from reseau_acv.core.permissions import is_member
from villes.models import Ville

from .. import selectors
from ..dedup import canonical_url
from ..matching import title_fingerprint
from ..models import ArticlePresse, ExceptionEtiquetage, Parution, Source
from ..permissions import can_curate, require
from ..recherche import refresh as search_refresh
from .tagging import article_tag, tags_apply


def article_review(
    *,
    actor: User,
    article: ArticlePresse,
    keep: bool,
    villes: list[Ville],
    themes: list[Theme],
    resume: str,
    visibilite: str,
) -> ArticlePresse:
    """Keep or discard an article, with the towns, themes and the team's own summary.

    A town the matcher proposed and staff removed becomes an exception it learns from.
    """
    require(can_curate(actor))
    with transaction.atomic():
        article = ArticlePresse.objects.select_for_update().get(pk=article.pk)
        _learn_from_removed_towns(actor=actor, article=article, kept={v.code_insee for v in villes})
        article.statut = ArticlePresse.Statut.RETENU if keep else ArticlePresse.Statut.ECARTE
        article.resume = resume.strip()
        article.visibilite = visibilite
        article.trie_par = actor
        article.trie_le = timezone.now()
        article.save(update_fields=["statut", "resume", "visibilite", "trie_par", "trie_le", "modifie_le"])
        article.villes.set(villes)
        article.themes.set(themes)
        search_refresh([article.pk])  # the team's summary, towns and themes are searched
    return article


def articles_sort(*, actor: User, ids: list[int], keep: bool, resumes: dict[int, str] | None = None) -> int:
    """Keep or discard several waiting articles at once (with the summaries given); returns how many.

    Articles already sorted (by a colleague meanwhile) are left as they are. A constant number of
    queries whatever the number of articles.
    """
    require(can_curate(actor))
    resumes = resumes or {}
    with transaction.atomic():
        waiting = list(selectors.articles_waiting(ids=ids).select_for_update().only("pk", "resume"))
        now = timezone.now()
        for article in waiting:
            article.statut = ArticlePresse.Statut.RETENU if keep else ArticlePresse.Statut.ECARTE
            if article.pk in resumes:
                article.resume = resumes[article.pk].strip()
            article.trie_par, article.trie_le, article.modifie_le = actor, now, now
        ArticlePresse.objects.bulk_update(waiting, ["statut", "resume", "trie_par", "trie_le", "modifie_le"])
        if resumes:
            search_refresh(sorted(pk for pk in resumes if pk in {article.pk for article in waiting}))
    return len(waiting)


def article_summary_save(*, actor: User, article: ArticlePresse, resume: str) -> ArticlePresse:
    """Write the team's own summary of an article, without deciding yet."""
    require(can_curate(actor))
    with transaction.atomic():
        article = ArticlePresse.objects.select_for_update().get(pk=article.pk)
        article.resume = resume.strip()
        article.save(update_fields=["resume", "modifie_le"])
        search_refresh([article.pk])  # the team's summary is searched
    return article


def article_suggest(*, actor: User, titre: str, source: Source, publie_le: date, url: str) -> ArticlePresse:
    """A member adds an article by hand (paywalled press): it enters the curation queue."""
    if not is_member(actor):
        raise PermissionDenied
    canon = canonical_url(url)
    with transaction.atomic():
        if selectors.appearance_exists(canonical_url=canon):
            raise ValidationError(_("Cet article est déjà dans le panorama."), code="duplicate")
        moment = timezone.make_aware(datetime.combine(publie_le, datetime.min.time()).replace(hour=12))
        tags = article_tag(titre=titre, departements=source.departements_list, source_id=source.pk)
        article = ArticlePresse.objects.create(
            titre=titre.strip()[:500],
            empreinte=title_fingerprint(titre),
            publie_le=moment,
            statut=ArticlePresse.Statut.A_TRIER,
            motifs=[*tags.motifs, {"type": "suggestion", "texte": str(actor), "raison": _("proposé par un membre")}],
            propose_par=actor,
        )
        tags_apply(article=article, tags=tags, ville_ids=selectors.ville_ids_by_code(codes=tags.villes))
        Parution.objects.create(
            article=article, source=source, url=url, url_canonique=canon, titre=article.titre, publie_le=moment
        )
        search_refresh([article.pk])
    return article


def _learn_from_removed_towns(*, actor: User, article: ArticlePresse, kept: set[str]) -> list[ExceptionEtiquetage]:
    """Each town the matcher proposed that staff took off: not proposed again after the same words.

    With words before the name (« boulevard de » Vierzon) the exception holds everywhere; a name
    with nothing before it (« Lignières : … ») is an exception for the article's sources only.
    """
    removed = [m for m in article.motifs if m.get("type") == "ville" and m.get("code") and m["code"] not in kept]
    if not removed:
        return []
    ville_ids = selectors.ville_ids_by_code(codes={m["code"] for m in removed})
    source_ids = selectors.article_source_ids(article=article)
    rows = []
    for motif in removed:
        if motif["code"] not in ville_ids:
            continue
        contexte = motif.get("contexte", "")
        for source_id in [None] if contexte else source_ids:
            rows.append(
                ExceptionEtiquetage(
                    ville_id=ville_ids[motif["code"]],
                    contexte=contexte,
                    source_id=source_id,
                    texte=motif.get("texte", "")[:200],
                    article=article,
                    cree_par=actor,
                )
            )
    return ExceptionEtiquetage.objects.bulk_create(rows, ignore_conflicts=True)
