"""Helpers shared by every app's views, the team's outbox page, and each member's notifications,
choices and follows."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import notifications, outbox, selectors
from .forms import ChoixNotificationsForm
from .models import Notification, Suivi
from .pagination import paginate
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


# --- Notifications, choices and follows ------------------------------------------------------

NOTIFICATIONS_PER_PAGE = 30
SUIVIS_PER_PAGE = 50


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


@login_required
@require_GET
def notification_list(request):
    """My notifications, newest first, grouped by thread on each page."""
    page, querystring = paginate(
        request, selectors.notifications_of(user=request.user), per_page=NOTIFICATIONS_PER_PAGE
    )
    context = {"page": page, "querystring": querystring, "fils": selectors.group_by_thread(page.object_list)}
    return render(request, "core/notification_list.html", context)


@login_required
@require_GET
def notification_open(request, pk: int):
    """Open a notification: it is read, and the member lands on the exact place (the answer's anchor)."""
    try:
        notification = notifications.notification_open(actor=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        raise Http404
    return redirect(notification.url)


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.notifications_mark_all_read(actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s notification est marquée comme lue.", "%(count)s notifications sont marquées comme lues.", count
        )
        % {"count": count},
    )
    return redirect(_safe_next(request, reverse("core:notification-list")))


@login_required
@require_http_methods(["GET", "POST"])
def notification_choices(request):
    """Per kind of notification: e-mail at once, in my digest, or never."""
    current = selectors.choices_of(user=request.user)
    form = ChoixNotificationsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        notifications.choices_save(actor=request.user, user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Vos choix de notification sont enregistrés."))
        return redirect("core:notification-choices")
    return render(request, "core/notification_choices.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def suivi_list(request):
    """What I follow; stop following any of it."""
    if request.method == "POST":
        try:
            suivi_id = int(request.POST.get("suivi", ""))
        except ValueError:
            return HttpResponseBadRequest()
        if not 0 < suivi_id < 2**63:
            return HttpResponseBadRequest()
        if notifications.unfollow(actor=request.user, suivi_id=suivi_id):
            messages.success(request, _("Vous ne suivez plus ce contenu."))
        return redirect(_safe_next(request, reverse("core:suivi-list")))
    rows = Suivi.objects.filter(membre=request.user).select_related("cible_type").order_by("-cree_le", "-pk")
    page, querystring = paginate(request, rows, per_page=SUIVIS_PER_PAGE)
    context = {
        "page": page,
        "querystring": querystring,
        "suivis": selectors.follows_of(user=request.user, suivis=list(page.object_list)),
    }
    return render(request, "core/suivi_list.html", context)


def _followable(request):
    """The object named by the form (« app.modèle:id »), if it may be followed and the member sees it."""
    label, _sep, raw_pk = request.POST.get("objet", "").partition(":")
    if label not in settings.NOTIFICATIONS_SUIVABLES or not raw_pk.isdigit() or not 0 < int(raw_pk) < 2**63:
        raise Http404
    model = apps.get_model(label)
    manager = model._default_manager
    queryset = manager.visible_to(request.user) if hasattr(manager, "visible_to") else manager.all()
    return get_object_or_404(queryset, pk=int(raw_pk)), (manager.visible_to if hasattr(manager, "visible_to") else None)


@login_required
@require_POST
def suivi_toggle(request):
    """Follow or stop following a question, resource, sheet, meeting, theme or town from its page.

    What the member may not see answers 404, like what does not exist."""
    target, visible_to = _followable(request)
    if request.POST.get("action") == "arreter":
        notifications.unfollow(actor=request.user, target=target)
        messages.success(request, _("Vous ne suivez plus « %(titre)s ».") % {"titre": target})
    else:
        notifications.follow(actor=request.user, target=target, visible_to=visible_to)
        messages.success(
            request,
            _("Vous suivez « %(titre)s » : les nouveautés arrivent dans vos notifications.") % {"titre": target},
        )
    fallback = target.get_absolute_url() if hasattr(target, "get_absolute_url") else reverse("core:suivi-list")
    return redirect(_safe_next(request, fallback))
