from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ("email", "first_name", "last_name", "role", "organisation", "is_active")
    list_filter = ("role", "is_active", "is_staff", "consentement_annuaire")
    search_fields = ("email", "first_name", "last_name")
    filter_horizontal = ("themes_expertise", "groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profil"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "role",
                    "organisation",
                    "fonction",
                    "telephone",
                    "photo",
                    "themes_expertise",
                    "expertise",
                    "consentement_annuaire",
                )
            },
        ),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("nom", "sigle", "type", "siren")
    list_filter = ("type",)
    search_fields = ("nom", "sigle", "siren")
    filter_horizontal = ("themes",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "role",
        "organisation",
        "invite_par",
        "envoyee_le",
        "expire_le",
        "utilise_le",
        "revoquee_le",
    )
    list_filter = ("role",)
    search_fields = ("email", "nom")
    readonly_fields = ("token_hash", "envoyee_le", "envois", "revoquee_le", "utilise_le", "utilisateur")
