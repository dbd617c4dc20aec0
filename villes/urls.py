from django.urls import path

from . import views

app_name = "villes"

urlpatterns = [
    path("villes/", views.ville_list, name="ville-list"),
    path("villes/carte/", views.ville_map, name="ville-map"),
    path("villes/carte/<str:code>/", views.ville_map_departement, name="ville-map-departement"),
    path("villes/choix/", views.ville_choices, name="ville-choices"),
    path("villes/departements/choix/", views.departement_choices, name="departement-choices"),
    path("villes/<slug:slug>/", views.ville_detail, name="ville-detail"),
    path("annuaire/", views.member_directory, name="user-directory"),
    path("annuaire/inviter/", views.invitation_create, name="invitation-create"),
    path("annuaire/inviter/fichier/", views.invitation_import, name="invitation-import"),
    path("annuaire/inviter/fichier/modele.csv", views.invitation_import_template, name="invitation-import-template"),
    path("annuaire/invitations/", views.invitation_list, name="invitation-list"),
    path("annuaire/invitations/<int:pk>/renvoyer/", views.invitation_resend, name="invitation-resend"),
    path("annuaire/invitations/<int:pk>/revoquer/", views.invitation_revoke, name="invitation-revoke"),
]
