from django.urls import path

from . import views

app_name = "villes"

urlpatterns = [
    path("villes/", views.ville_list, name="ville-list"),
    path("villes/carte/", views.ville_map, name="ville-map"),
    path("villes/<slug:slug>/", views.ville_detail, name="ville-detail"),
    path("annuaire/", views.member_directory, name="user-directory"),
    path("annuaire/inviter/", views.invitation_create, name="invitation-create"),
]
