from django.contrib import admin

from .models import ActeModeration, FichierVersion, Message, Question, Ressource, RetourExperience, Signalement


class FichierVersionInline(admin.TabularInline):
    model = FichierVersion
    extra = 0
    fields = ("numero", "nom", "type_mime", "taille", "auteur", "cree_le")
    readonly_fields = fields
    can_delete = False


@admin.register(Ressource)
class RessourceAdmin(admin.ModelAdmin):
    list_display = ("titre", "type", "statut", "visibilite", "auteur", "publie_le")
    list_filter = ("statut", "visibilite", "type", "programme", "themes")
    search_fields = ("titre", "resume", "source")
    prepopulated_fields = {"slug": ("titre",)}
    autocomplete_fields = ("auteur",)
    filter_horizontal = ("themes", "villes")
    readonly_fields = ("fichier", "fichier_nom", "fichier_type", "fichier_taille")
    inlines = [FichierVersionInline]


@admin.register(RetourExperience)
class RetourExperienceAdmin(admin.ModelAdmin):
    list_display = ("titre", "ville", "type_difficulte", "type_levier", "statut", "visibilite")
    list_filter = ("statut", "visibilite", "type_difficulte", "type_levier")
    search_fields = ("titre", "difficulte", "leviers")
    autocomplete_fields = ("auteur",)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("titre", "statut", "visibilite", "epinglee", "fermee", "publie_le")
    list_filter = ("statut", "visibilite", "epinglee", "fermee")
    search_fields = ("titre", "corps")
    autocomplete_fields = ("auteur",)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "question", "ressource", "retour", "masque")
    list_filter = ("masque",)
    search_fields = ("corps",)
    raw_id_fields = ("question", "ressource", "retour", "auteur")


@admin.register(Signalement)
class SignalementAdmin(admin.ModelAdmin):
    list_display = ("message", "auteur", "traite", "cree_le")
    list_filter = ("traite",)
    raw_id_fields = ("message", "auteur")


@admin.register(ActeModeration)
class ActeModerationAdmin(admin.ModelAdmin):
    list_display = ("le", "acteur", "action", "cible_titre", "motif")
    list_filter = ("action",)
    search_fields = ("cible_titre", "motif")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
