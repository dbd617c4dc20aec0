"""Pages of the library. Thin: fetch through ``visible_to(user)``, call a service, render."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reseau_acv.core import notifications
from reseau_acv.core.pagination import CappedPaginator
from reseau_acv.core.permissions import equipe_required, may_moderate
from reseau_acv.core.recherche import FEW_CANDIDATES
from reseau_acv.core.selectors import is_following
from reseau_acv.core.views import get_visible_or_404

from . import permissions, selectors, services
from .filters import QuestionFilter, RessourceFilter, RetourFilter
from .forms import (
    RAISONS_RENVOI,
    MessageForm,
    MotifForm,
    QuestionForm,
    RenvoiForm,
    RessourceForm,
    RetourForm,
)
from .models import FichierVersion, Message, Question, Ressource, RetourExperience, Statut
from .recherche import RETOUR

PER_PAGE = 20
KINDS = {"ressource": Ressource, "retour": RetourExperience, "question": Question}


def _page(request, queryset):
    # A list of 50,000 resources says « plus de 1 000 » instead of counting every visible row.
    return CappedPaginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _filtered_page(request, filter_class, list_selector):
    """Filter a list (its selector takes the user and the searched text), then paginate it.

    Returns ``(filterset, page, text)``; invalid filters show the whole list."""
    user = request.user
    filterset = filter_class(request.GET or None, queryset=list_selector(user=user))
    text = ""
    if filterset.is_bound and filterset.is_valid():
        text = (filterset.form.cleaned_data.get("q") or "").strip()
        queryset = filterset.filter_queryset(list_selector(user=user, text=text))
    else:
        queryset = list_selector(user=user)
    return filterset, _page(request, queryset), text


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _contributor_or_404(user) -> None:
    if not permissions.can_contribute(user):
        raise Http404


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- library ---------------------------------------------------------------------------------


def ressource_list(request):
    user = request.user
    filterset = RessourceFilter(request.GET or None, queryset=selectors.ressources_visible(user=user), user=user)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.ressources_visible(user=user)
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    text = (data.get("q") or "").strip()
    found = selectors.ressources_search(queryset=queryset, text=text, sort=data.get("tri") or "")
    page = _page(request, found.queryset)
    shown = found.recherche.corrigee if found.recherche and found.recherche.corrigee else text
    selectors.with_excerpts(page.object_list, text=shown, requete=found.recherche.requete if found.recherche else None)
    retours = (
        selectors.with_excerpts(
            list(selectors.retours_list(user=user, text=shown, candidates=FEW_CANDIDATES)[:5]), text=shown, index=RETOUR
        )
        if text
        else []
    )
    context = {
        "reserve_aux_membres": selectors.reserved_for_members(user=user, model=Ressource),
        "recherche": found.recherche,
        "filter": filterset,
        "page": page,
        "ressources": page.object_list,
        "retours": retours,
        "q": text,
        "querystring": _querystring_without_page(request),
        "can_contribute": permissions.can_contribute(user),
    }
    return render(request, "ressources/ressource_list.html", context)


def ressource_detail(request, slug: str):
    user = request.user
    ressource = get_object_or_404(selectors.ressource_detail_qs(user=user), slug=slug)
    messages_fil = selectors.messages_of(user=user, ressource=ressource)
    notifications.notifications_read_thread(actor=user, thread=ressource)
    context = {
        "ressource": ressource,
        "can_mark": permissions.can_mark_useful(user, ressource),
        "marked": selectors.utile_marked(user=user, ressource=ressource),
        "utiles": selectors.messages_marked_useful(user=user, messages=messages_fil),
        "versions": selectors.ressource_versions(ressource=ressource),
        "messages_fil": messages_fil,
        "message_form": _message_form("ressource", ressource),
        "motif_form": MotifForm(),
        "can_edit": permissions.can_edit(user, ressource),
        "can_comment": permissions.can_comment(user, ressource),
        "can_moderate": may_moderate(user),
        "raisons": RAISONS_RENVOI,
        "kind": "ressource",
        "suivi": is_following(user=user, target=ressource),
    }
    return render(request, "ressources/ressource_detail.html", context)


def _serve(version_file, *, name: str, mime: str):
    response = FileResponse(version_file.open("rb"), content_type=mime or "application/octet-stream")
    ascii_name = slugify(name.rsplit(".", 1)[0])[:80] or "fichier"
    extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}.{slugify(extension)}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def ressource_download(request, slug: str):
    """The current file, only for those who may see the resource."""
    ressource = get_visible_or_404(Ressource, request.user, slug=slug)
    if not ressource.fichier:
        raise Http404
    return _serve(ressource.fichier, name=ressource.fichier_nom, mime=ressource.fichier_type)


def fichierversion_download(request, slug: str, numero: int):
    version = get_object_or_404(
        FichierVersion.objects.visible_to(request.user).select_related("ressource"),
        ressource__slug=slug,
        numero=numero,
    )
    return _serve(version.fichier, name=version.nom, mime=version.type_mime)


@login_required
@require_http_methods(["GET", "POST"])
def ressource_create(request):
    _contributor_or_404(request.user)
    form = RessourceForm(request.POST or None, request.FILES or None)
    saved = _save_contribution(
        request,
        form,
        lambda data, submit: services.ressource_create(
            actor=request.user,
            data=data,
            themes=data["themes"],
            villes=data["villes"],
            fichier=data.get("fichier"),
            submit=submit,
        ),
    )
    return saved or render(request, "ressources/ressource_form.html", {"form": form, "objet": None})


def _save_contribution(request, form, save):
    """On a valid POST, save the contribution with ``save(data, submit)`` (« brouillon » keeps
    it as a draft), tell the member what became of it and go to its page. Returns ``None`` to
    show the form again (GET, or errors put back on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = save(form.cleaned_data, request.POST.get("action") != "brouillon")
    except ValidationError as exc:
        _form_errors(form, exc)
        return None
    messages.success(request, _message_after_save(obj))
    return redirect(obj)


def _message_after_save(obj) -> str:
    return {
        Statut.PUBLIE: _("La contribution est publiée."),
        Statut.PROPOSE: _("Merci ! Votre proposition attend la validation de l'équipe d'animation."),
    }.get(obj.statut, _("Le brouillon est enregistré. Il n'est visible que par vous et l'équipe."))


@login_required
@require_http_methods(["GET", "POST"])
def ressource_update(request, slug: str):
    ressource = get_visible_or_404(Ressource, request.user, slug=slug)
    if not permissions.can_edit(request.user, ressource):
        raise Http404
    form = RessourceForm(request.POST or None, request.FILES or None, instance=ressource)
    if not request.POST:
        form.initial.update(themes=list(ressource.themes.all()), villes=list(ressource.villes.all()))
    saved = _save_contribution(
        request,
        form,
        lambda data, submit: services.ressource_update(
            actor=request.user,
            ressource=ressource,
            data=data,
            themes=data["themes"],
            villes=data["villes"],
            fichier=data.get("fichier"),
            submit=submit,
        ),
    )
    return saved or render(request, "ressources/ressource_form.html", {"form": form, "objet": ressource})


# --- experience sheets -----------------------------------------------------------------------


def retour_list(request):
    user = request.user
    filterset, page, text = _filtered_page(request, RetourFilter, selectors.retours_list)
    selectors.with_excerpts(page.object_list, text=text, index=RETOUR)
    context = {
        "reserve_aux_membres": selectors.reserved_for_members(user=user, model=RetourExperience),
        "reserve_au_reseau": selectors.reserved_for_network(user=user, model=RetourExperience),
        "filter": filterset,
        "page": page,
        "retours": page.object_list,
        "q": text,
        "querystring": _querystring_without_page(request),
        "can_contribute": permissions.can_contribute(user),
    }
    return render(request, "ressources/retourexperience_list.html", context)


def retour_detail(request, slug: str):
    user = request.user
    retour = get_object_or_404(selectors.retour_detail_qs(user=user), slug=slug)
    messages_fil = selectors.messages_of(user=user, retour=retour)
    notifications.notifications_read_thread(actor=user, thread=retour)
    context = {
        "retour": retour,
        "can_mark": permissions.can_mark_useful(user, retour),
        "marked": selectors.utile_marked(user=user, retour=retour),
        "utiles": selectors.messages_marked_useful(user=user, messages=messages_fil),
        "similaires": selectors.retours_similaires(user=user, retour=retour),
        "messages_fil": messages_fil,
        "message_form": _message_form("retour", retour),
        "motif_form": MotifForm(),
        "can_edit": permissions.can_edit(user, retour),
        "can_comment": permissions.can_comment(user, retour),
        "can_moderate": may_moderate(user),
        "raisons": RAISONS_RENVOI,
        "kind": "retour",
        "suivi": is_following(user=user, target=retour),
    }
    return render(request, "ressources/retourexperience_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def retour_create(request):
    _contributor_or_404(request.user)
    form = RetourForm(request.POST or None, ressources_qs=Ressource.objects.visible_to(request.user).published())
    saved = _save_contribution(
        request,
        form,
        lambda data, submit: services.retour_create(
            actor=request.user, data=data, themes=data["themes"], ressources=data["ressources"], submit=submit
        ),
    )
    return saved or render(request, "ressources/retourexperience_form.html", {"form": form, "objet": None})


@login_required
@require_http_methods(["GET", "POST"])
def retour_update(request, slug: str):
    retour = get_visible_or_404(RetourExperience, request.user, slug=slug)
    if not permissions.can_edit(request.user, retour):
        raise Http404
    form = RetourForm(
        request.POST or None,
        instance=retour,
        ressources_qs=Ressource.objects.visible_to(request.user).published(),
    )
    if not request.POST:
        form.initial.update(themes=list(retour.themes.all()))
    saved = _save_contribution(
        request,
        form,
        lambda data, submit: services.retour_update(
            actor=request.user,
            retour=retour,
            data=data,
            themes=data["themes"],
            ressources=data["ressources"],
            submit=submit,
        ),
    )
    return saved or render(request, "ressources/retourexperience_form.html", {"form": form, "objet": retour})


# --- questions -------------------------------------------------------------------------------


def question_list(request):
    user = request.user
    filterset, page, _text = _filtered_page(request, QuestionFilter, selectors.questions_list)
    theme = filterset.form.cleaned_data.get("theme") if filterset.is_bound and filterset.is_valid() else None
    context = {
        "theme": theme,
        "theme_suivi": bool(theme) and is_following(user=user, target=theme),
        "reserve_aux_membres": selectors.reserved_for_members(user=user, model=Question),
        "reserve_au_reseau": selectors.reserved_for_network(user=user, model=Question),
        "filter": filterset,
        "page": page,
        "questions": page.object_list,
        "querystring": _querystring_without_page(request),
        "can_contribute": permissions.can_contribute(user),
    }
    return render(request, "ressources/question_list.html", context)


def question_detail(request, slug: str):
    user = request.user
    question = get_object_or_404(selectors.question_detail_qs(user=user), slug=slug)
    messages_fil = selectors.messages_of(user=user, question=question)
    can_solicit = permissions.can_solicit(user, question) and not question.fermee
    notifications.notifications_read_thread(actor=user, thread=question)
    context = {
        "question": question,
        "suggestions": selectors.question_suggestions(
            viewer=user, question=question, exclude={m.auteur_id for m in messages_fil if m.auteur_id}
        )
        if can_solicit
        else [],
        "can_solicit": can_solicit,
        "messages_fil": messages_fil,
        "utiles": selectors.messages_marked_useful(user=user, messages=messages_fil),
        "message_form": _message_form("question", question),
        "motif_form": MotifForm(),
        "can_comment": permissions.can_comment(user, question),
        "can_accept": permissions.can_accept_answer(user, question),
        "can_moderate": may_moderate(user),
        "raisons": RAISONS_RENVOI,
        "kind": "question",
        "suivi": is_following(user=user, target=question),
    }
    return render(request, "ressources/question_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request):
    _contributor_or_404(request.user)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        question = services.question_create(actor=request.user, data=data, themes=data["themes"], villes=data["villes"])
        messages.success(
            request,
            _("Votre question est posée au réseau. Vous serez prévenu·e de chaque réponse."),
        )
        return redirect(question)
    return render(request, "ressources/question_form.html", {"form": form})


@require_POST
@login_required
def question_accept(request, slug: str):
    question = get_visible_or_404(Question, request.user, slug=slug)
    if not permissions.can_accept_answer(request.user, question):
        raise Http404
    raw = request.POST.get("message")
    message = None
    if raw:
        message = get_object_or_404(Message.objects.visible_to(request.user), pk=raw, question=question)
    services.question_accept_answer(actor=request.user, question=question, message=message)
    messages.success(request, _("La réponse retenue est indiquée."))
    return redirect(question)


@require_POST
@login_required
def question_solicit(request, slug: str):
    """The asker (or staff) asks a suggested member to answer: they are told once."""
    question = get_visible_or_404(Question, request.user, slug=slug)
    if not permissions.can_solicit(request.user, question):
        raise Http404
    raw = request.POST.get("membre", "")
    if not raw.isdigit():
        raise Http404
    try:
        new = services.question_solicit(actor=request.user, question=question, membres=[int(raw)])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if new:
            messages.success(request, _("C'est fait : ce membre est prévenu de votre question."))
        else:
            messages.info(request, _("Ce membre était déjà sollicité : il n'est pas prévenu une seconde fois."))
    return redirect(f"{question.get_absolute_url()}#qui-sait")


@require_POST
@equipe_required
def question_moderate(request, slug: str):
    question = get_visible_or_404(Question, request.user, slug=slug)
    action = request.POST.get("action")
    if action in {"epingler", "desepingler"}:
        services.question_set_pinned(actor=request.user, question=question, epinglee=action == "epingler")
    elif action in {"fermer", "rouvrir"}:
        services.question_set_closed(actor=request.user, question=question, fermee=action == "fermer")
    else:
        raise Http404
    messages.success(request, _("C'est fait."))
    return redirect(question)


# --- messages --------------------------------------------------------------------------------


def _message_form(kind: str, fil) -> MessageForm:
    return MessageForm(mentions_url=reverse("ressources:mention-suggestions", kwargs={"kind": kind, "slug": fil.slug}))


@login_required
@require_GET
def mention_suggestions(request, kind: str, slug: str):
    """Members one may mention in this thread: in the directory and able to see it (JSON, 8 at most)."""
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    fil = get_visible_or_404(model, request.user, slug=slug)
    found = selectors.mention_candidates(user=request.user, fil=fil, text=request.GET.get("q", ""))
    return JsonResponse({"membres": [{"nom": m.get_full_name(), "detail": m.fonction} for m in found]})


@require_POST
@login_required
def message_create(request, kind: str, slug: str):
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    fil = get_visible_or_404(model, request.user, slug=slug)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Le message est vide ou trop long."))
        return redirect(fil)
    try:
        message = services.message_create(actor=request.user, fil=fil, corps=form.cleaned_data["corps"])
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("Votre message est publié."))
    return redirect(message.get_absolute_url())


@require_POST
@equipe_required
def message_hide(request, pk: int):
    message = get_object_or_404(Message.objects.visible_to(request.user), pk=pk)
    form = MotifForm(request.POST)
    if form.is_valid():
        services.message_hide(actor=request.user, message=message, motif=form.cleaned_data["motif"])
        messages.success(request, _("Le message est masqué."))
    else:
        messages.error(request, _("Indiquez le motif du masquage."))
    if request.POST.get("next") == "moderation":
        return redirect("ressources:moderation-list")
    return redirect(message.fil)


@require_POST
@login_required
def message_report(request, pk: int):
    message = get_object_or_404(Message.objects.visible_to(request.user), pk=pk)
    if not permissions.can_report(request.user, message):
        raise Http404
    form = MotifForm(request.POST)
    if form.is_valid():
        services.message_report(actor=request.user, message=message, motif=form.cleaned_data["motif"])
        messages.success(request, _("Merci, l'équipe d'animation examinera ce message."))
    else:
        messages.error(request, _("Dites en quelques mots ce qui pose problème."))
    return redirect(message.get_absolute_url())


# --- the author's next step -------------------------------------------------------------------

PROPOSABLE = {"ressource": Ressource, "retour": RetourExperience}


@require_POST
@login_required
def contribution_act(request, kind: str, pk: int):
    """The author proposes a saved draft in one step, or withdraws a proposal; back to where they were."""
    model = PROPOSABLE.get(kind)
    if model is None:
        raise Http404
    obj = get_visible_or_404(model, request.user, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "proposer":
            obj = services.contenu_propose(actor=request.user, obj=obj)
            messages.success(request, _message_after_save(obj))
        elif action == "retirer":
            services.contenu_withdraw(actor=request.user, obj=obj)
            messages.success(
                request,
                _("« %(titre)s » est retiré : c'est de nouveau un brouillon, visible de vous et de l'équipe.")
                % {"titre": obj.titre},
            )
        else:
            raise Http404
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(obj)


# --- « Utile » -----------------------------------------------------------------------------------

UTILISABLE = {"ressource": Ressource, "retour": RetourExperience, "message": Message}


@require_POST
@login_required
def utile_toggle(request, kind: str, pk: int):
    """Mark a resource, a sheet or an answer as useful, or take the mark back; back to it."""
    model = UTILISABLE.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    wanted = {"oui": True, "non": False}.get(request.POST.get("utile", ""))
    try:
        marked = services.utile_toggle(actor=request.user, obj=obj, utile=wanted)
    except PermissionDenied as exc:
        raise Http404 from exc
    if marked:
        messages.success(request, _("Merci : c'est noté comme utile."))
    else:
        messages.success(request, _("Votre marque « utile » est retirée."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(obj.get_absolute_url())


# --- moderation ------------------------------------------------------------------------------


MODERATION_PER_PAGE = 10


@equipe_required
def moderation_list(request):
    ressources = Paginator(selectors.moderation_resources(), MODERATION_PER_PAGE).get_page(request.GET.get("page"))
    retours = Paginator(selectors.moderation_retours(), MODERATION_PER_PAGE).get_page(request.GET.get("page_retours"))
    context = {
        **selectors.moderation_queue(),
        "page_ressources": ressources,
        "ressources": ressources.object_list,
        "page_retours": retours,
        "retours": retours.object_list,
        "raisons": RAISONS_RENVOI,
        "motif_form": MotifForm(),
        "ressources_querystring": f"page={ressources.number}",
        "retours_querystring": f"page_retours={retours.number}",
    }
    return render(request, "ressources/moderation_list.html", context)


@require_POST
@equipe_required
def moderation_act(request, kind: str, pk: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    obj = get_visible_or_404(model, request.user, pk=pk)
    action = request.POST.get("action")
    motif = request.POST.get("motif", "")
    try:
        if action == "publier":
            services.contenu_publish(actor=request.user, obj=obj)
            messages.success(request, _("« %(titre)s » est publié.") % {"titre": obj.titre})
        elif action == "renvoyer":
            renvoi = RenvoiForm(request.POST)
            if not renvoi.is_valid():
                raise ValidationError([e for errors in renvoi.errors.values() for e in errors])
            services.contenu_send_back(actor=request.user, obj=obj, motif=renvoi.texte)
            messages.success(request, _("« %(titre)s » est renvoyé à son auteur.") % {"titre": obj.titre})
        elif action == "masquer":
            services.contenu_hide(actor=request.user, obj=obj, motif=motif)
            messages.success(request, _("« %(titre)s » est masqué.") % {"titre": obj.titre})
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.POST.get("next") == "detail":
        return redirect(obj)
    return redirect(_queue_url(request))


def _queue_url(request) -> str:
    """Back to the page of the queue staff acted from."""
    params = {key: request.POST[key] for key in ("page", "page_retours") if request.POST.get(key, "").isdigit()}
    return reverse("ressources:moderation-list") + (f"?{urlencode(params)}" if params else "")


@login_required
def ressource_choices(request):
    """Suggestions of the resource picker (JSON): the resources the member may see whose title
    holds the words of ``q`` (or whose number it is), newest first."""
    from .fields import suggest

    query = request.GET.get("q", "")[:120]
    results = suggest(queryset=selectors.ressources_visible(user=request.user), query=query)
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, max-age=60"
    return response
