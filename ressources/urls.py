from django.urls import path

from . import views
from .feeds import RessourcesPubliquesFeed

app_name = "ressources"

urlpatterns = [
    path("", views.ressource_list, name="ressource-list"),
    path("proposer/", views.ressource_create, name="ressource-create"),
    path("choix/", views.ressource_choices, name="ressource-choices"),
    path("flux.atom", RessourcesPubliquesFeed(), name="ressource-feed"),
    path("moderation/", views.moderation_list, name="moderation-list"),
    path("moderation/<str:kind>/<int:pk>/", views.moderation_act, name="moderation-act"),
    path("contributions/<str:kind>/<int:pk>/", views.contribution_act, name="contribution-act"),
    path("retours/", views.retour_list, name="retour-list"),
    path("retours/proposer/", views.retour_create, name="retour-create"),
    path("retours/<slug:slug>/", views.retour_detail, name="retour-detail"),
    path("retours/<slug:slug>/modifier/", views.retour_update, name="retour-update"),
    path("questions/", views.question_list, name="question-list"),
    path("questions/poser/", views.question_create, name="question-create"),
    path("questions/<slug:slug>/", views.question_detail, name="question-detail"),
    path("questions/<slug:slug>/reponse-retenue/", views.question_accept, name="question-accept"),
    path("questions/<slug:slug>/moderer/", views.question_moderate, name="question-moderate"),
    path("questions/<slug:slug>/solliciter/", views.question_solicit, name="question-solicit"),
    path("utile/<str:kind>/<int:pk>/", views.utile_toggle, name="utile-toggle"),
    path("messages/<int:pk>/masquer/", views.message_hide, name="message-hide"),
    path("messages/<int:pk>/signaler/", views.message_report, name="message-report"),
    path("messages/<str:kind>/<slug:slug>/", views.message_create, name="message-create"),
    path("mentions/<str:kind>/<slug:slug>/", views.mention_suggestions, name="mention-suggestions"),
    path("<slug:slug>/", views.ressource_detail, name="ressource-detail"),
    path("<slug:slug>/modifier/", views.ressource_update, name="ressource-update"),
    path("<slug:slug>/fichier/", views.ressource_download, name="ressource-download"),
    path("<slug:slug>/versions/<int:numero>/", views.fichierversion_download, name="fichierversion-download"),
]
