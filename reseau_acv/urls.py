from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

admin.site.site_header = "Réseau ACV Centre-Val de Loire — administration"
admin.site.site_title = "Réseau ACV"

urlpatterns = [
    path("", include("reseau_acv.accueil.urls")),
    path("", include("villes.urls")),
    path("", include("reseau_acv.core.urls")),
    path("ressources/", include("ressources.urls")),
    path("rencontres/", include("rencontres.urls")),
    path("panorama/", include("panorama.urls")),
    path("comptes/", include("reseau_acv.comptes.urls")),
    path("compte/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
]

if settings.DEBUG:
    urlpatterns += [path("__404__/", TemplateView.as_view(template_name="404.html"))]
