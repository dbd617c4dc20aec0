from django.contrib import admin

from .models import FluxCalendrier, Inscription, PointOrdreDuJour, Rencontre


class PointOrdreDuJourInline(admin.TabularInline):
    model = PointOrdreDuJour
    extra = 0


class InscriptionInline(admin.TabularInline):
    model = Inscription
    extra = 0
    raw_id_fields = ["membre"]
    fields = ["membre", "statut", "attente_depuis", "present"]


@admin.register(Rencontre)
class RencontreAdmin(admin.ModelAdmin):
    list_display = ["titre", "type", "debut", "format", "ville", "visibilite", "statut", "capacite"]
    list_filter = ["type", "statut", "format", "visibilite"]
    search_fields = ["titre", "resume"]
    date_hierarchy = "debut"
    autocomplete_fields = ["ville"]
    filter_horizontal = ["themes"]
    raw_id_fields = ["materiaux", "cree_par"]
    readonly_fields = ["version", "publiee_le", "annulee_le", "rappel_j7_le", "rappel_j1_le", "suivi_envoye_le"]
    inlines = [PointOrdreDuJourInline, InscriptionInline]


@admin.register(Inscription)
class InscriptionAdmin(admin.ModelAdmin):
    list_display = ["rencontre", "membre", "statut", "present", "cree_le"]
    list_filter = ["statut", "present"]
    search_fields = ["membre__email", "membre__last_name", "rencontre__titre"]
    raw_id_fields = ["rencontre", "membre"]


@admin.register(FluxCalendrier)
class FluxCalendrierAdmin(admin.ModelAdmin):
    list_display = ["membre", "renouvele_le", "dernier_acces"]
    search_fields = ["membre__email"]
    readonly_fields = ["membre", "renouvele_le", "dernier_acces"]
    exclude = ["token_hash"]
