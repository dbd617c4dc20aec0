from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("animation/courriels/", views.outbox_health, name="outbox-health"),
    path("animation/courriels/remettre-en-file/", views.outbox_retry, name="outbox-retry"),
]
