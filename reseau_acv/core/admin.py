from django.contrib import admin

from .models import Courriel, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("nom", "famille", "numero_axe", "ordre")
    prepopulated_fields = {"slug": ("nom",)}


@admin.register(Courriel)
class CourrielAdmin(admin.ModelAdmin):
    list_display = ("objet_envoi", "destinataire", "statut", "tentatives", "cree_le", "envoye_le")
    list_filter = ("statut", "objet_envoi")
    search_fields = ("destinataire", "cle", "sujet")
    readonly_fields = [f.name for f in Courriel._meta.fields]
