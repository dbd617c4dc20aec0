from django.contrib import admin

from .models import ChoixNotification, Courriel, Notification, Suivi, Theme


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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("destinataire", "type", "texte", "envoi", "cree_le", "lue_le")
    list_filter = ("type", "envoi")
    raw_id_fields = ("destinataire", "acteur")
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(Suivi)
class SuiviAdmin(admin.ModelAdmin):
    list_display = ("membre", "cible_type", "cible_id", "automatique", "cree_le")
    list_filter = ("cible_type", "automatique")
    raw_id_fields = ("membre",)


@admin.register(ChoixNotification)
class ChoixNotificationAdmin(admin.ModelAdmin):
    list_display = ("membre", "type", "envoi")
    list_filter = ("type", "envoi")
    raw_id_fields = ("membre",)
