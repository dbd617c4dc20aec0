"""The regional press panorama: sources, articles (stories) and their appearances, rules, editions.

An ``ArticlePresse`` is one *story*: the same story syndicated by several titles is one article
with several ``Parution`` rows (one per title, each with its own canonical link). Press law: only
the title, source, date, link and the team's own summary (``resume``) are ever shown; the feed's
summary (``Parution.resume_flux``) is stored for matching only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import Theme, TimeStampedModel
from reseau_acv.core.permissions import is_equipe
from reseau_acv.core.visibility import ORDER, Visibilite, VisibleQuerySet, visibilite_field
from villes.models import Programme, Ville

REGION_DEPARTEMENTS = ("18", "28", "36", "37", "41", "45")


class Source(TimeStampedModel):
    """A press title or medium, with its feed and the départements it covers."""

    nom = models.CharField(_("nom"), max_length=160, unique=True)
    site_web = models.URLField(_("site web"), blank=True)
    url_flux = models.CharField(
        _("adresse du flux"), max_length=500, blank=True, help_text=_("RSS ou Atom. Vide : saisie manuelle seulement.")
    )
    departements = models.CharField(
        _("départements couverts"), max_length=60, blank=True, help_text=_("Codes séparés par « ; », ex. 36;37;41.")
    )
    actif = models.BooleanField(_("actif"), default=True)
    provenance = models.TextField(_("provenance de la référence"), blank=True)
    # Conditional requests: what the server said last time.
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # Health.
    derniere_collecte_le = models.DateTimeField(_("dernière collecte"), null=True, blank=True)
    derniere_reussite_le = models.DateTimeField(_("dernière collecte réussie"), null=True, blank=True)
    derniere_erreur = models.TextField(_("dernière erreur"), blank=True)
    echecs_consecutifs = models.PositiveIntegerField(_("échecs consécutifs"), default=0)
    prochaine_collecte_le = models.DateTimeField(_("prochaine collecte"), null=True, blank=True, db_index=True)
    nb_articles = models.PositiveIntegerField(_("articles collectés"), default=0)

    class Meta:
        ordering = ["nom"]
        verbose_name = _("source de presse")
        verbose_name_plural = _("sources de presse")

    def __str__(self) -> str:
        return self.nom

    @property
    def departements_list(self) -> list[str]:
        return [code.strip() for code in self.departements.split(";") if code.strip()]

    @property
    def en_echec(self) -> bool:
        return self.echecs_consecutifs > 0


class ArticleQuerySet(VisibleQuerySet):
    def kept(self):
        return self.filter(statut=ArticlePresse.Statut.RETENU)

    def queue(self):
        return self.filter(statut=ArticlePresse.Statut.A_TRIER)

    def visible_to(self, user):
        """Staff see every article (queue included); others see kept articles of their level."""
        if is_equipe(user):
            return self.all()
        return self.kept().with_level_for(user)


class ArticlePresse(TimeStampedModel):
    """One press story about the towns, whatever the number of titles that published it."""

    class Statut(models.TextChoices):
        A_TRIER = "a_trier", _("À trier")
        RETENU = "retenu", _("Retenu")
        ECARTE = "ecarte", _("Écarté")
        HORS_PERIMETRE = "hors_perimetre", _("Hors périmètre (aucune correspondance)")

    titre = models.CharField(_("titre"), max_length=500)
    empreinte = models.CharField(_("titre normalisé"), max_length=500, db_index=True, editable=False)
    publie_le = models.DateTimeField(_("publié le"), db_index=True)
    statut = models.CharField(_("statut"), max_length=16, choices=Statut.choices, default=Statut.A_TRIER)
    villes = models.ManyToManyField(Ville, verbose_name=_("villes"), related_name="articles_presse", blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), related_name="articles_presse", blank=True)
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("programmes"), related_name="articles_presse", blank=True
    )
    motifs = models.JSONField(_("pourquoi il correspond"), default=list, blank=True)
    resume = models.TextField(
        _("résumé de l'équipe"),
        blank=True,
        help_text=_("Votre propre résumé, en quelques lignes : jamais le texte de l'article."),
    )
    visibilite = visibilite_field(default=Visibilite.PARTENAIRES)
    # Full-text vector of the title (weight A) and the team's summary (B), kept up to date by a
    # PostgreSQL trigger (migration 0002) so that bulk loads fill it too, then completed by
    # ``panorama.recherche`` (towns, themes, the feed's text) after each write; GIN-indexed.
    recherche = SearchVectorField(null=True, editable=False)
    propose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles_proposes",
    )
    trie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trié par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    trie_le = models.DateTimeField(_("trié le"), null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publie_le", "-pk"]
        verbose_name = _("article de presse")
        verbose_name_plural = _("articles de presse")
        indexes = [
            models.Index(fields=["statut", "-publie_le"], name="article_statut_date_idx"),
            # The panorama's list, its count and its deep pages: kept articles newest first, read
            # from the index alone (the level is in it), whatever the number of articles. The level
            # is a key, not an included column: a key is checked on the index entry before the
            # article's row is read, so a town's latest articles (joined to the town) fetch only the
            # rows of the visitor's levels — an included column is only checked after the row.
            models.Index(
                fields=["-publie_le", "-id", "visibilite"],
                condition=Q(statut="retenu"),
                name="article_retenu_date_niveau_idx",
            ),
            # A town's hidden articles (counted from the town's links, see ``ville_press``): each
            # link's article checked kept and of its level in the index alone.
            models.Index(
                fields=["id", "visibilite"],
                condition=Q(statut="retenu"),
                name="article_retenu_niveau_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("panorama:article-detail", kwargs={"pk": self.pk})


class Parution(TimeStampedModel):
    """One title's publication of a story: its link, its GUID, and the feed's own summary."""

    article = models.ForeignKey(ArticlePresse, on_delete=models.CASCADE, related_name="parutions")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="parutions")
    url = models.URLField(_("lien"), max_length=1000)
    url_canonique = models.CharField(max_length=1000, unique=True, editable=False)
    guid = models.CharField(max_length=500, blank=True)
    titre = models.CharField(_("titre dans cette source"), max_length=500)
    publie_le = models.DateTimeField(_("publié le"))
    # Stored for matching only; never shown (press law: redistribution needs a CFC licence).
    resume_flux = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["publie_le", "pk"]
        verbose_name = _("parution")
        verbose_name_plural = _("parutions")
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], condition=~Q(guid=""), name="parution_guid_par_source")
        ]

    def __str__(self) -> str:
        return f"{self.source} — {self.titre}"


class RegleMotCle(TimeStampedModel):
    """A keyword rule staff edit: a phrase that tags an article with a theme and/or a programme.

    ``*`` at the end of a word matches any ending (« commerç* »). Case and accents are ignored.
    """

    motif = models.CharField(_("mot-clé ou expression"), max_length=120)
    theme = models.ForeignKey(
        Theme, verbose_name=_("thème"), on_delete=models.CASCADE, null=True, blank=True, related_name="regles_presse"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="regles_presse",
    )
    actif = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["motif"]
        verbose_name = _("règle de mots-clés")
        verbose_name_plural = _("règles de mots-clés")
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__isnull=False) | Q(programme__isnull=False), name="regle_theme_ou_programme"
            ),
            models.UniqueConstraint(fields=["motif", "theme", "programme"], name="regle_unique"),
        ]

    def __str__(self) -> str:
        target = self.theme or self.programme
        return f"{self.motif} → {target}"


class EditionQuerySet(VisibleQuerySet):
    def published(self):
        return self.filter(statut=Edition.Statut.PUBLIEE)

    def visible_to(self, user):
        if is_equipe(user):
            return self.all()
        return self.published().with_level_for(user)


class Edition(TimeStampedModel):
    """An edition of the panorama for a period: kept articles staff chose and ordered, grouped by town or theme."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        PUBLIEE = "publiee", _("Publiée")

    class Regroupement(models.TextChoices):
        VILLE = "ville", _("par ville")
        THEME = "theme", _("par thème")

    titre = models.CharField(_("titre"), max_length=200)
    debut = models.DateField(_("début de la période"))
    fin = models.DateField(_("fin de la période"))
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    statut = models.CharField(_("statut"), max_length=12, choices=Statut.choices, default=Statut.BROUILLON)
    visibilite = visibilite_field(default=Visibilite.PARTENAIRES)
    regroupement = models.CharField(
        _("regrouper les articles"), max_length=8, choices=Regroupement.choices, default=Regroupement.VILLE
    )
    articles = models.ManyToManyField(
        ArticlePresse, verbose_name=_("articles"), related_name="editions", blank=True, through="EditionArticle"
    )
    publiee_le = models.DateTimeField(_("publiée le"), null=True, blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-debut", "-pk"]
        verbose_name = _("édition du panorama")
        verbose_name_plural = _("éditions du panorama")
        constraints = [models.CheckConstraint(condition=Q(fin__gte=models.F("debut")), name="edition_fin_apres_debut")]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("panorama:edition-detail", kwargs={"pk": self.pk})

    def article_levels(self) -> list[str]:
        """Articles shown to everyone who may see the edition: those at its level or below."""
        return [str(level) for level in ORDER[: ORDER.index(self.visibilite) + 1]]


class EditionArticle(models.Model):
    """An article staff chose for an edition, at its place in the edition's order (each article once)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="choix")
    article = models.ForeignKey(ArticlePresse, on_delete=models.CASCADE, related_name="choix_editions")
    ordre = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["edition", "ordre", "pk"]
        verbose_name = _("article d'une édition")
        verbose_name_plural = _("articles d'une édition")
        constraints = [models.UniqueConstraint(fields=["edition", "article"], name="edition_article_une_fois")]

    def __str__(self) -> str:
        return f"{self.edition} — {self.ordre}. {self.article}"


class AbonnementEdition(TimeStampedModel):
    """A member who wants each published edition by e-mail."""

    membre = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="abonnement_panorama"
    )
    actif = models.BooleanField(_("recevoir les éditions par courriel"), default=True)

    class Meta:
        verbose_name = _("abonnement aux éditions")
        verbose_name_plural = _("abonnements aux éditions")

    def __str__(self) -> str:
        return str(self.membre)


class ExceptionEtiquetage(TimeStampedModel):
    """A town staff removed from an article: the matcher no longer proposes it after the same words.

    ``contexte`` holds the (folded, lower-case) words right before the name — « boulevard de » for
    « boulevard de Vierzon ». With no words before the name, the exception holds for its source only.
    """

    ville = models.ForeignKey(Ville, verbose_name=_("ville"), on_delete=models.CASCADE, related_name="+")
    contexte = models.CharField(_("mots avant le nom"), max_length=120, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    texte = models.CharField(_("nom écrit"), max_length=200, blank=True)
    article = models.ForeignKey(
        ArticlePresse, verbose_name=_("article corrigé"), on_delete=models.SET_NULL, null=True, blank=True
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("corrigé par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("exception d'étiquetage")
        verbose_name_plural = _("exceptions d'étiquetage")
        constraints = [
            # Two partial constraints rather than NULLS NOT DISTINCT, which SQLite lacks.
            models.UniqueConstraint(
                fields=["ville", "contexte"], condition=Q(source__isnull=True), name="exception_etiquetage_unique"
            ),
            models.UniqueConstraint(
                fields=["ville", "contexte", "source"],
                condition=Q(source__isnull=False),
                name="exception_etiquetage_par_source",
            ),
            models.CheckConstraint(
                condition=~Q(contexte="") | Q(source__isnull=False), name="exception_sans_contexte_par_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contexte} {self.texte} ≠ {self.ville}".strip()
