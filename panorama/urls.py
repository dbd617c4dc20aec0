from django.urls import path

from . import views

app_name = "panorama"

urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("articles/proposer/", views.article_suggest, name="article-suggest"),
    path("tri/", views.article_queue, name="article-queue"),
    path("tri/<int:pk>/", views.article_review, name="article-review"),
    path("regles/", views.regle_list, name="regle-list"),
    path("regles/<int:pk>/appliquer/", views.regle_apply, name="regle-apply"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/choix/", views.source_choices, name="source-choices"),
    path("editions/", views.edition_list, name="edition-list"),
    path("editions/nouvelle/", views.edition_create, name="edition-create"),
    path("editions/flux.atom", views.EditionFeed(), name="edition-feed"),
    path("editions/abonnement/", views.abonnement_update, name="abonnement-update"),
    path("editions/<int:pk>/", views.edition_detail, name="edition-detail"),
    path("editions/<int:pk>/modifier/", views.edition_update, name="edition-update"),
    path("editions/<int:pk>/composer/", views.edition_compose, name="edition-compose"),
    path("editions/<int:pk>/courriel/", views.edition_email_preview, name="edition-email"),
    path("editions/<int:pk>/publier/", views.edition_publish, name="edition-publish"),
    path("editions/<int:pk>/pdf/", views.edition_pdf_view, name="edition-pdf"),
]
