from django.urls import path

from . import views

app_name = "rencontres"

urlpatterns = [
    path("", views.rencontre_list, name="rencontre-list"),
    path("nouvelle/", views.rencontre_create, name="rencontre-create"),
    path("<int:pk>/", views.rencontre_detail, name="rencontre-detail"),
    path("<int:pk>/modifier/", views.rencontre_update, name="rencontre-update"),
    path("<int:pk>/publier/", views.rencontre_publish, name="rencontre-publish"),
    path("<int:pk>/annuler/", views.rencontre_cancel, name="rencontre-cancel"),
    path("<int:pk>/suivi/", views.rencontre_followup, name="rencontre-followup"),
    path("<int:pk>/presences/", views.rencontre_attendance, name="rencontre-attendance"),
    path("<int:pk>/supports/", views.materiau_create, name="materiau-create"),
    path("<int:pk>/inscriptions.csv", views.rencontre_export, name="rencontre-export"),
    path("<int:pk>/rencontre.ics", views.rencontre_ics, name="rencontre-ics"),
    path("<int:pk>/inscription/", views.inscription_create, name="inscription-create"),
    path("<int:pk>/desinscription/", views.inscription_delete, name="inscription-delete"),
    path("mes-inscriptions/", views.inscription_list, name="inscription-list"),
    path("calendrier/renouveler/", views.flux_renew, name="flux-renew"),
    path("calendrier/supprimer/", views.flux_delete, name="flux-delete"),
    path("calendrier/<str:token>.ics", views.flux_detail, name="flux-detail"),
    path("plenieres/", views.pleniere_list, name="pleniere-list"),
    path("plenieres/<int:year>/", views.pleniere_year, name="pleniere-year"),
]
