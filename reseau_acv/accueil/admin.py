from django.contrib import admin

from .models import EnvoiDigest, Preferences


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "frequence", "desabonne_le"]
    list_filter = ["frequence"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(EnvoiDigest)
class EnvoiDigestAdmin(admin.ModelAdmin):
    list_display = ["user", "periode", "frequence", "nb_elements", "courriel", "cree_le"]
    list_filter = ["frequence", "periode"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "courriel"]
    readonly_fields = ["cree_le"]
