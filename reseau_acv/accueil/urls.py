from django.urls import path

from . import views

app_name = "accueil"

urlpatterns = [
    path("", views.home, name="home"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("bienvenue/", views.premiers_pas, name="premiers-pas"),
    path("annuaire/<int:pk>/", views.member_detail, name="membre"),
    path("recherche/", views.search, name="search"),
    path("recherche/thesaurus/", views.thesaurus_list, name="thesaurus"),
    path("recherche/thesaurus/<int:pk>/", views.thesaurus_list, name="thesaurus-edit"),
    path("mon-compte/contributions/", views.contributions, name="contributions"),
    path("mon-compte/courriels/", views.preferences_edit, name="preferences-edit"),
    path("mon-compte/donnees/", views.data_export, name="data-export"),
    path("mon-compte/supprimer/", views.account_delete, name="account-delete"),
    path("donnees-personnelles/", views.personal_data, name="personal-data"),
    path("animation/donnees/", views.data_requests, name="data-requests"),
    path("desabonnement/<str:token>/", views.preferences_unsubscribe, name="preferences-unsubscribe"),
    path("animation/", views.animation, name="animation-dashboard"),
    path("animation/<slug:key>.csv", views.animation_export, name="animation-export"),
]
