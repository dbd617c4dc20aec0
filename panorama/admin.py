from django.contrib import admin

from .models import AbonnementEdition, ArticlePresse, Edition, Parution, RegleMotCle, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["nom", "departements", "actif", "echecs_consecutifs", "derniere_reussite_le", "nb_articles"]
    list_filter = ["actif"]
    search_fields = ["nom", "url_flux"]
    readonly_fields = ["etag", "last_modified", "derniere_collecte_le", "derniere_reussite_le", "derniere_erreur"]


class ParutionInline(admin.TabularInline):
    model = Parution
    extra = 0
    fields = ["source", "titre", "url", "publie_le"]
    readonly_fields = fields


@admin.register(ArticlePresse)
class ArticlePresseAdmin(admin.ModelAdmin):
    list_display = ["titre", "publie_le", "statut", "visibilite"]
    list_filter = ["statut", "visibilite", "themes"]
    search_fields = ["titre"]
    date_hierarchy = "publie_le"
    autocomplete_fields = ["villes"]
    filter_horizontal = ["themes", "programmes"]
    inlines = [ParutionInline]
    raw_id_fields = ["propose_par", "trie_par"]


@admin.register(RegleMotCle)
class RegleMotCleAdmin(admin.ModelAdmin):
    list_display = ["motif", "theme", "programme", "actif"]
    list_filter = ["actif", "theme", "programme"]
    search_fields = ["motif"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["titre", "debut", "fin", "statut", "visibilite", "publiee_le"]
    list_filter = ["statut", "visibilite"]
    raw_id_fields = ["articles", "auteur"]


@admin.register(AbonnementEdition)
class AbonnementEditionAdmin(admin.ModelAdmin):
    list_display = ["membre", "actif"]
    raw_id_fields = ["membre"]
