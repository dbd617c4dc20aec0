from django.urls import path

from . import views

app_name = "comptes"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("profil/", views.profile_edit, name="profile-edit"),
    path("membres/<int:pk>/photo/", views.photo, name="user-photo"),
]
