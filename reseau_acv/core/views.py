"""Helpers shared by every app's views, and the team's outbox page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from . import outbox, selectors
from .permissions import equipe_required


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


PER_PAGE = 50


@equipe_required
@require_GET
def outbox_health(request):
    """The team's view of the outbox: what waits, since when, and what was abandoned."""
    page = Paginator(selectors.outbox_abandoned(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/courriel_health.html", {"state": selectors.outbox_state(), "page": page})


@equipe_required
@require_POST
def outbox_retry(request):
    """Put every abandoned message back in line, or the one given."""
    message_ids = None
    if request.POST.get("message"):
        try:
            message_ids = [int(request.POST["message"])]
        except ValueError:
            return HttpResponseBadRequest()
        if not 0 < message_ids[0] < 2**63:
            return HttpResponseBadRequest()
    count = outbox.outbox_retry(actor=request.user, message_ids=message_ids)
    messages.success(
        request,
        ngettext(
            "%(count)s courriel est remis en file d'envoi.", "%(count)s courriels sont remis en file d'envoi.", count
        )
        % {"count": count},
    )
    return redirect("core:outbox-health")
