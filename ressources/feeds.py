"""Atom feed of the public resources: only what an anonymous visitor may see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Ressource


class RessourcesPubliquesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Réseau ACV Centre-Val de Loire — ressources publiques")
    subtitle = _("Les dernières ressources publiques du réseau régional Action Cœur de Ville.")
    link = reverse_lazy("ressources:ressource-list")

    def items(self):
        return (
            Ressource.objects.visible_to(AnonymousUser())
            .published()
            .select_related("auteur")
            .order_by("-publie_le", "-pk")[:30]
        )

    def item_title(self, item):
        return item.titre

    def item_description(self, item):
        return item.resume

    def item_pubdate(self, item):
        return item.publie_le

    def item_updateddate(self, item):
        return item.modifie_le

    def item_categories(self, item):
        return [item.get_type_display()]
