"""Helpers shared by every app's views."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404


def get_visible_or_404(queryset_or_model: type[Model] | QuerySet, user, **lookup):
    """Fetch one object through ``visible_to(user)``.

    Content the user may not see answers 404, exactly like content that does not exist, so that
    nothing reveals its existence.
    """
    if isinstance(queryset_or_model, QuerySet):
        queryset = queryset_or_model.visible_to(user)
    else:
        queryset = queryset_or_model.objects.visible_to(user)
    return get_object_or_404(queryset, **lookup)
