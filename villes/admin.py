from django.contrib import admin

from .models import Mission, Programme, Ville


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("sigle", "nom", "lancement")


class MissionInline(admin.TabularInline):
    model = Mission
    extra = 0
    autocomplete_fields = ("personne",)


@admin.register(Ville)
class VilleAdmin(admin.ModelAdmin):
    list_display = ("nom", "code_insee", "departement_code", "population", "reseau_regional", "ville_appui")
    list_filter = ("programmes", "departement_code", "reseau_regional")
    search_fields = ("nom", "code_insee", "epci_nom")
    prepopulated_fields = {"slug": ("nom",)}
    inlines = [MissionInline]


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ("ville", "personne", "intitule", "debut", "fin")
    list_filter = ("intitule",)
    autocomplete_fields = ("personne", "ville")
