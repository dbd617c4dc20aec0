from django.apps import AppConfig


class PanoramaConfig(AppConfig):
    name = "panorama"
