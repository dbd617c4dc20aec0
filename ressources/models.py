"""The network's shared knowledge: resources, experience sheets, questions and their messages.

Every piece of content carries a visibility level and a moderation status. Its QuerySet's
``visible_to(user)`` is the one place that decides who sees it: published content of a level
the user may see, plus the user's own contributions; staff see everything.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import Theme, TimeStampedModel
from reseau_acv.core.permissions import is_equipe, is_member
from reseau_acv.core.visibility import VisibleQuerySet, levels_for, visibilite_field

# What staff read for an uploaded file's type (the upload check accepts only these).
FILE_KINDS = {
    "application/pdf": _("PDF"),
    "application/vnd.oasis.opendocument.text": _("Texte OpenDocument (odt)"),
    "application/vnd.oasis.opendocument.spreadsheet": _("Tableur OpenDocument (ods)"),
    "application/vnd.oasis.opendocument.presentation": _("Présentation OpenDocument (odp)"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _("Document Word (docx)"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _("Tableur Excel (xlsx)"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": _("Présentation PowerPoint (pptx)"),
    "image/png": _("Image PNG"),
    "image/jpeg": _("Image JPEG"),
    "image/webp": _("Image WebP"),
    "image/gif": _("Image GIF"),
    "text/csv": _("Tableau CSV"),
    "application/csv": _("Tableau CSV"),
    "text/plain": _("Texte brut"),
}


class Statut(models.TextChoices):
    BROUILLON = "brouillon", _("Brouillon")
    PROPOSE = "propose", _("Proposé, en attente de modération")
    PUBLIE = "publie", _("Publié")
    RENVOYE = "renvoye", _("Renvoyé à son auteur")
    MASQUE = "masque", _("Masqué")


class ModeratedQuerySet(VisibleQuerySet):
    """Published content of a level the user may see, plus the user's own; staff see all."""

    def published(self):
        return self.filter(statut=Statut.PUBLIE)

    @staticmethod
    def visibility_rule(user, prefix: str = "") -> Q:
        """The rule of ``visible_to``: for this model's rows, or (with ``prefix``, « question__ »)
        for rows joined to them — so that messages read their thread's rule through a join."""
        if is_equipe(user):
            return Q()
        rule = Q(**{f"{prefix}statut": Statut.PUBLIE, f"{prefix}visibilite__in": levels_for(user)})
        if is_member(user):
            rule |= Q(**{f"{prefix}auteur": user})
        return rule

    def visible_to(self, user):
        return self.filter(self.visibility_rule(user))

    def awaiting_moderation(self):
        return self.filter(statut=Statut.PROPOSE)


class Moderated(TimeStampedModel):
    """Fields shared by the moderated kinds of content."""

    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    visibilite = visibilite_field()
    statut = models.CharField(
        _("statut"), max_length=12, choices=Statut.choices, default=Statut.BROUILLON, db_index=True
    )
    publie_le = models.DateTimeField(_("publié le"), null=True, blank=True, db_index=True)
    motif_moderation = models.TextField(_("motif de la dernière décision de modération"), blank=True)
    recherche = SearchVectorField(_("index de recherche"), null=True, editable=False)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.statut == Statut.PUBLIE


class Ressource(Moderated):
    """A document (an uploaded file, with its earlier versions) or a link."""

    class Type(models.TextChoices):
        FICHE_METHODE = "fiche_methode", _("Fiche méthode")
        GUIDE = "guide", _("Guide")
        CAHIER_DES_CHARGES = "cahier_des_charges", _("Cahier des charges")
        DELIBERATION = "deliberation", _("Délibération")
        ETUDE = "etude", _("Étude")
        OUTIL = "outil", _("Outil")
        PRESENTATION = "presentation", _("Présentation")
        COMPTE_RENDU = "compte_rendu", _("Compte rendu")
        VEILLE = "veille", _("Lien de veille")

    titre = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=220, unique=True)
    resume = models.TextField(_("résumé"), blank=True)
    corps = models.TextField(_("texte"), blank=True, help_text=_("Markdown."))
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.FICHE_METHODE, db_index=True)
    fichier = models.FileField(_("fichier"), upload_to="ressources/%Y/%m/", blank=True, max_length=300)
    fichier_nom = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    fichier_type = models.CharField(_("type du fichier"), max_length=100, blank=True)
    fichier_taille = models.PositiveBigIntegerField(_("taille du fichier"), null=True, blank=True)
    lien = models.URLField(_("lien"), blank=True, max_length=500)
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), related_name="ressources", blank=True)
    villes = models.ManyToManyField(
        "villes.Ville", verbose_name=_("villes concernées"), related_name="ressources", blank=True
    )
    programme = models.ForeignKey(
        "villes.Programme",
        verbose_name=_("programme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ressources",
    )
    source = models.CharField(_("organisation source"), max_length=200, blank=True)
    date_document = models.DateField(_("date du document"), null=True, blank=True)
    nb_utile = models.PositiveIntegerField(_("marqué utile par"), default=0, editable=False)

    class Meta:
        ordering = ["-publie_le", "-cree_le"]
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        indexes = [
            models.Index(fields=["statut", "visibilite", "-publie_le"], name="ressource_liste_idx"),
            models.Index(fields=["-nb_utile", "-publie_le"], name="ressource_utile_idx"),
            # The list's order, with what ``visible_to`` filters on: the capped count and the page's
            # keys are read from the index alone.
            models.Index(
                F("publie_le").desc(),
                F("cree_le").desc(),
                "id",
                include=["statut", "visibilite", "auteur"],
                name="ressource_ordre_idx",
            ),
            # The moderation queue: proposals, the oldest waiting first (a few among thousands).
            models.Index(fields=["modifie_le", "id"], condition=Q(statut="propose"), name="ressource_a_moderer_idx"),
        ]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("ressources:ressource-detail", kwargs={"slug": self.slug})

    @property
    def has_file(self) -> bool:
        return bool(self.fichier)

    @property
    def fichier_genre(self) -> str:
        """The file's type as staff say it: « PDF », « Tableur Excel (xlsx) »."""
        return str(FILE_KINDS.get(self.fichier_type, self.fichier_type))


class FichierVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(ressource__in=Ressource.objects.visible_to(user))


class FichierVersion(TimeStampedModel):
    """One version of a resource's file. A new file keeps the earlier ones."""

    ressource = models.ForeignKey(
        Ressource, verbose_name=_("ressource"), on_delete=models.CASCADE, related_name="versions"
    )
    numero = models.PositiveIntegerField(_("version"))
    fichier = models.FileField(_("fichier"), upload_to="ressources/%Y/%m/", max_length=300)
    nom = models.CharField(_("nom du fichier"), max_length=255)
    type_mime = models.CharField(_("type"), max_length=100)
    taille = models.PositiveBigIntegerField(_("taille"))
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = FichierVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-numero"]
        verbose_name = _("version de fichier")
        verbose_name_plural = _("versions de fichier")
        constraints = [models.UniqueConstraint(fields=["ressource", "numero"], name="fichierversion_numero_unique")]

    def __str__(self) -> str:
        return f"{self.ressource} — v{self.numero}"


class RetourExperience(Moderated):
    """An experience sheet: a town met a difficulty, used levers, got a result."""

    class Difficulte(models.TextChoices):
        FINANCEMENT = "financement", _("Bouclage financier")
        INGENIERIE = "ingenierie", _("Manque d'ingénierie")
        PROPRIETAIRES = "proprietaires", _("Mobilisation des propriétaires")
        FONCIER = "foncier", _("Maîtrise foncière")
        VACANCE_COMMERCIALE = "vacance_commerciale", _("Vacance commerciale")
        CRISE_SANITAIRE = "crise_sanitaire", _("Crise sanitaire")
        CONCERTATION = "concertation", _("Adhésion des habitants")
        GOUVERNANCE = "gouvernance", _("Gouvernance et pilotage")

    class Levier(models.TextChoices):
        AIDE_FINANCIERE = "aide_financiere", _("Aide financière")
        PARTENARIAT = "partenariat", _("Partenariat")
        OUTIL_JURIDIQUE = "outil_juridique", _("Outil juridique ou réglementaire")
        ANIMATION = "animation", _("Animation et accompagnement")
        NUMERIQUE = "numerique", _("Outil numérique")
        CONCERTATION = "concertation", _("Concertation")
        INGENIERIE_EXTERNE = "ingenierie_externe", _("Ingénierie externe")
        URBANISME_TRANSITOIRE = "urbanisme_transitoire", _("Urbanisme transitoire")

    titre = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=220, unique=True)
    ville = models.ForeignKey(
        "villes.Ville", verbose_name=_("ville"), on_delete=models.PROTECT, related_name="retours_experience"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), related_name="retours_experience", blank=True)
    contexte = models.TextField(_("contexte"), help_text=_("Markdown."))
    difficulte = models.TextField(_("difficulté rencontrée"), help_text=_("Markdown."))
    type_difficulte = models.CharField(
        _("nature de la difficulté"), max_length=30, choices=Difficulte.choices, db_index=True
    )
    leviers = models.TextField(_("leviers mobilisés"), help_text=_("Markdown."))
    type_levier = models.CharField(_("levier principal"), max_length=30, choices=Levier.choices, db_index=True)
    resultat = models.TextField(_("résultat"), help_text=_("Markdown."))
    partenaires = models.TextField(_("partenaires associés"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    ressources = models.ManyToManyField(
        Ressource, verbose_name=_("ressources jointes"), related_name="retours_experience", blank=True
    )
    nb_utile = models.PositiveIntegerField(_("marqué utile par"), default=0, editable=False)

    class Meta:
        ordering = ["-publie_le", "-cree_le"]
        verbose_name = _("retour d'expérience")
        verbose_name_plural = _("retours d'expérience")
        indexes = [
            models.Index(fields=["-nb_utile", "-publie_le"], name="retour_utile_idx"),
            models.Index(
                F("publie_le").desc(),
                F("cree_le").desc(),
                "id",
                include=["statut", "visibilite", "auteur"],
                name="retour_ordre_idx",
            ),
            models.Index(fields=["modifie_le", "id"], condition=Q(statut="propose"), name="retour_a_moderer_idx"),
        ]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("ressources:retour-detail", kwargs={"slug": self.slug})


class Question(Moderated):
    """A question a member asks the network. Published when asked; staff may pin, close or hide it."""

    titre = models.CharField(_("question"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=220, unique=True)
    corps = models.TextField(_("précisions"), blank=True, help_text=_("Markdown."))
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), related_name="questions", blank=True)
    villes = models.ManyToManyField("villes.Ville", verbose_name=_("villes"), related_name="questions", blank=True)
    epinglee = models.BooleanField(_("épinglée"), default=False)
    fermee = models.BooleanField(_("fermée"), default=False)
    reponse_retenue = models.ForeignKey(
        "Message",
        verbose_name=_("réponse retenue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-epinglee", "-publie_le", "-cree_le"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        # The list's order: its first page (and « plus de 1 000 ») read in index order, no sort of
        # the 10,000 questions of the national programme.
        indexes = [
            # With what ``visible_to`` filters on: the capped count is read from the index alone.
            models.Index(
                F("epinglee").desc(),
                F("publie_le").desc(),
                F("cree_le").desc(),
                "id",
                include=["statut", "visibilite", "auteur"],
                name="question_liste_idx",
            )
        ]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("ressources:question-detail", kwargs={"slug": self.slug})


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Messages whose thread the user may see; hidden ones only for staff and their author."""
        # The thread's own rule, read through the join (no scan of every visible thread).
        rule = ModeratedQuerySet.visibility_rule
        parents = (
            (Q(question__isnull=False) & rule(user, "question__"))
            | (Q(ressource__isnull=False) & rule(user, "ressource__"))
            | (Q(retour__isnull=False) & rule(user, "retour__"))
        )
        if is_equipe(user):
            return self.filter(parents)
        shown = Q(masque=False)
        if is_member(user):
            shown |= Q(auteur=user)
        return self.filter(parents).filter(shown)


class Message(TimeStampedModel):
    """An answer to a question, or a comment on a resource or an experience sheet."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    ressource = models.ForeignKey(
        Ressource, verbose_name=_("ressource"), on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    retour = models.ForeignKey(
        RetourExperience,
        verbose_name=_("retour d'expérience"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    corps = models.TextField(_("message"), help_text=_("Markdown."))
    masque = models.BooleanField(_("masqué"), default=False)
    motif_masquage = models.TextField(_("motif du masquage"), blank=True)
    nb_utile = models.PositiveIntegerField(_("marqué utile par"), default=0, editable=False)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("membres mentionnés"), blank=True, related_name="+"
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["cree_le"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(question__isnull=False, ressource__isnull=True, retour__isnull=True)
                    | Q(question__isnull=True, ressource__isnull=False, retour__isnull=True)
                    | Q(question__isnull=True, ressource__isnull=True, retour__isnull=False)
                ),
                name="message_un_seul_fil",
            )
        ]

    def __str__(self) -> str:
        return f"{self.auteur} — {self.cree_le:%d/%m/%Y}"

    @property
    def fil(self):
        return self.question or self.ressource or self.retour

    def get_absolute_url(self) -> str:
        return f"{self.fil.get_absolute_url()}#message-{self.pk}"


class Signalement(TimeStampedModel):
    """A member reports a message to staff."""

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="signalements"
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signalé par"), on_delete=models.CASCADE, related_name="+"
    )
    motif = models.TextField(_("motif"))
    traite = models.BooleanField(_("traité"), default=False, db_index=True)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [models.UniqueConstraint(fields=["message", "auteur"], name="signalement_unique_par_membre")]

    def __str__(self) -> str:
        return f"{self.message} ({self.auteur})"


class Utile(models.Model):
    """A member found a resource, an experience sheet or an answer useful: once per member and item.

    The item's ``nb_utile`` counts its marks (recounted when a mark is added or removed), so
    that lists sort by it through an index."""

    membre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="+"
    )
    ressource = models.ForeignKey(
        Ressource, verbose_name=_("ressource"), on_delete=models.CASCADE, null=True, blank=True, related_name="utiles"
    )
    retour = models.ForeignKey(
        RetourExperience,
        verbose_name=_("retour d'expérience"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="utiles",
    )
    message = models.ForeignKey(
        Message, verbose_name=_("réponse"), on_delete=models.CASCADE, null=True, blank=True, related_name="utiles"
    )
    cree_le = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = _("marque « utile »")
        verbose_name_plural = _("marques « utile »")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(ressource__isnull=False, retour__isnull=True, message__isnull=True)
                    | Q(ressource__isnull=True, retour__isnull=False, message__isnull=True)
                    | Q(ressource__isnull=True, retour__isnull=True, message__isnull=False)
                ),
                name="utile_un_seul_contenu",
            ),
            models.UniqueConstraint(
                fields=["membre", "ressource"], condition=Q(ressource__isnull=False), name="utile_une_par_ressource"
            ),
            models.UniqueConstraint(
                fields=["membre", "retour"], condition=Q(retour__isnull=False), name="utile_une_par_retour"
            ),
            models.UniqueConstraint(
                fields=["membre", "message"], condition=Q(message__isnull=False), name="utile_une_par_message"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membre_id} → {self.ressource_id or self.retour_id or self.message_id}"


class Sollicitation(models.Model):
    """The asker (or staff) asked a member to answer a question: once per member and question."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="sollicitations"
    )
    membre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("membre sollicité"), on_delete=models.CASCADE, related_name="+"
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sollicité par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    cree_le = models.DateTimeField(_("sollicité le"), auto_now_add=True)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = _("sollicitation")
        verbose_name_plural = _("sollicitations")
        constraints = [
            models.UniqueConstraint(fields=["question", "membre"], name="sollicitation_une_par_membre"),
        ]

    def __str__(self) -> str:
        return f"{self.question} → {self.membre}"


class ActeModeration(models.Model):
    """The record of one moderation act: who, what, when, why."""

    class Action(models.TextChoices):
        PROPOSER = "proposer", _("Proposé")
        PUBLIER = "publier", _("Publié")
        RENVOYER = "renvoyer", _("Renvoyé à son auteur")
        MASQUER = "masquer", _("Masqué")
        REAFFICHER = "reafficher", _("Réaffiché")
        EPINGLER = "epingler", _("Épinglé")
        DESEPINGLER = "desepingler", _("Désépinglé")
        FERMER = "fermer", _("Fermé")
        ROUVRIR = "rouvrir", _("Rouvert")
        SIGNALER = "signaler", _("Signalé")
        RETIRER = "retirer", _("Retiré par son auteur")

    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    cible_type = models.ForeignKey(ContentType, verbose_name=_("type de contenu"), on_delete=models.CASCADE)
    cible_id = models.PositiveBigIntegerField(_("identifiant du contenu"))
    cible = GenericForeignKey("cible_type", "cible_id")
    cible_titre = models.CharField(_("contenu"), max_length=255)
    motif = models.TextField(_("motif"), blank=True)
    le = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-le"]
        verbose_name = _("acte de modération")
        verbose_name_plural = _("actes de modération")
        indexes = [models.Index(fields=["cible_type", "cible_id"], name="actemoderation_cible_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.cible_titre}"
