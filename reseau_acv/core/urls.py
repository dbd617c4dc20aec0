from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("animation/courriels/", views.outbox_health, name="outbox-health"),
    path("animation/courriels/remettre-en-file/", views.outbox_retry, name="outbox-retry"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
    path("notifications/tout-lu/", views.notification_read_all, name="notification-read-all"),
    path("mon-compte/notifications/", views.notification_choices, name="notification-choices"),
    path("mon-compte/suivis/", views.suivi_list, name="suivi-list"),
    path("suivre/", views.suivi_toggle, name="suivi-toggle"),
]
