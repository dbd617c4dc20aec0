from django.apps import AppConfig


class RencontresConfig(AppConfig):
    name = "rencontres"
