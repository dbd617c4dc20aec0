"""Pages of the press panorama: thin views over selectors and services.

Press law: no template receives the feed's summary; references only (title, source, date, link,
the team's own summary).
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reseau_acv.core import listes
from reseau_acv.core.markdown import render_markdown
from reseau_acv.core.outbox import render_email
from reseau_acv.core.pagination import paginate
from reseau_acv.core.permissions import equipe_required
from reseau_acv.core.views import get_visible_or_404

from . import selectors, services
from .filters import ArticleFilter
from .forms import AbonnementForm, ArticleReviewForm, ArticleSuggestForm, CurationFilterForm, EditionForm, RegleForm
from .models import AbonnementEdition, ArticlePresse, Edition, RegleMotCle
from .pdf import edition_pdf

PAGE_SIZE = 30


def article_list(request):
    """The panorama, filtered; with a query, the same search engine as the whole platform ranks it."""
    filterset = ArticleFilter(request.GET or None, queryset=selectors.articles_panorama(user=request.user))
    valid = filterset.is_bound and filterset.is_valid()
    queryset = filterset.qs if valid else selectors.articles_panorama(user=request.user)
    text = (filterset.form.cleaned_data.get("q") or "").strip() if valid else ""
    found = None
    if text:
        sort = "date" if filterset.form.cleaned_data.get("tri") == "date" else "pertinence"
        found = selectors.articles_search(queryset=queryset, text=text, sort=sort)
        queryset = found.queryset
    page = selectors.ArticlePaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    articles = list(page.object_list)
    if found is not None:
        selectors.with_excerpts(articles, recherche=found.recherche)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "articles": articles,
        "query": query.urlencode(),
        "q": text,
        "recherche": found.recherche if found else None,
    }
    return render(request, "panorama/article_list.html", context)


def article_detail(request, pk: int):
    article = get_visible_or_404(selectors.article_detail_queryset(), request.user, pk=pk)
    return render(request, "panorama/article_detail.html", {"article": article})


@login_required
@require_http_methods(["GET", "POST"])
def article_suggest(request):
    form = ArticleSuggestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_suggest(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Merci : l'article est proposé à l'équipe, qui le relira."))
            return redirect("panorama:article-list")
    return render(request, "panorama/article_suggest.html", {"form": form})


CURATION_PAGE = 50


@equipe_required
@require_http_methods(["GET", "POST"])
def article_queue(request):
    """One page to sort the press: keyboard first with static JavaScript, plain forms without it."""
    if request.method == "POST":
        return _curation_post(request)
    form = CurationFilterForm(request.GET or None, choices=selectors.curation_filter_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    queue = selectors.curation_queue(**{key: value for key, value in filters.items() if value})
    page = selectors.CurationPaginator(queue, CURATION_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "articles": list(page.object_list),
        "total": page.paginator.count,
        "query": query.urlencode(),
        "return_query": request.GET.urlencode(),
    }
    return render(request, "panorama/article_queue.html", context)


def _curation_post(request):
    post = request.POST
    resumes = {}
    for key, value in post.items():
        if key.startswith("resume-") and key[7:].isdigit():
            resumes[int(key[7:])] = value
    if post.get("resume", "").isdigit():
        article = get_visible_or_404(ArticlePresse.objects.queue(), request.user, pk=int(post["resume"]))
        services.article_summary_save(actor=request.user, article=article, resume=resumes.get(article.pk, ""))
        ids, keep, message = [article.pk], None, _("Résumé enregistré : « %(titre)s ».") % {"titre": article.titre}
    else:
        if post.get("retenir", "").isdigit() or post.get("ecarter", "").isdigit():
            keep = post.get("retenir", "").isdigit()
            ids = [int(post["retenir"] if keep else post["ecarter"])]
        elif post.get("selection") in {"retenir", "ecarter"}:
            keep = post["selection"] == "retenir"
            ids = [int(pk) for pk in post.getlist("articles") if pk.isdigit()]
        else:
            ids, keep = [], None
        done = services.articles_sort(actor=request.user, ids=ids, keep=keep, resumes=resumes) if ids else 0
        if keep:
            message = ngettext("%(n)s article retenu.", "%(n)s articles retenus.", done) % {"n": done}
        elif keep is False:
            message = ngettext("%(n)s article écarté.", "%(n)s articles écartés.", done) % {"n": done}
        else:
            message = _("Choisissez au moins un article.")
    if "application/json" in request.headers.get("Accept", ""):
        remaining = ArticlePresse.objects.queue().count()
        return JsonResponse({"ids": ids, "retenu": keep, "message": message, "restant": remaining})
    messages.success(request, message)
    back = QueryDict(post.get("retour", ""), mutable=True)
    target = reverse("panorama:article-queue")
    return redirect(f"{target}?{back.urlencode()}" if back else target)


@equipe_required
@require_http_methods(["GET", "POST"])
def article_review(request, pk: int):
    article = get_visible_or_404(selectors.article_detail_queryset(), request.user, pk=pk)
    form = ArticleReviewForm.for_article(article, request.POST or None)
    if request.method == "POST" and form.is_valid():
        keep = request.POST.get("decision") == "retenir"
        services.article_review(actor=request.user, article=article, keep=keep, **form.cleaned_data)
        if keep:
            messages.success(request, _("Article retenu : « %(titre)s ».") % {"titre": article.titre})
        else:
            messages.success(request, _("Article écarté : « %(titre)s ».") % {"titre": article.titre})
        return redirect("panorama:article-queue")
    return render(request, "panorama/article_review.html", {"article": article, "form": form})


RULES_PER_PAGE = 100


@equipe_required
@require_http_methods(["GET", "POST"])
def regle_list(request):
    form = RegleForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "enregistrer":
            try:
                services.regle_save(actor=request.user, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Règle enregistrée. Appliquez-la aux articles déjà collectés si besoin."))
                return redirect("panorama:regle-list")
        else:
            count, sample = selectors.regle_preview(motif=data["motif"])
            preview = {"count": count, "articles": sample}
    regles = RegleMotCle.objects.select_related("theme", "programme").order_by("motif", "pk")
    page, querystring = paginate(request, regles, per_page=RULES_PER_PAGE)
    context = {"form": form, "preview": preview, "regles": page.object_list, "page": page, "querystring": querystring}
    return render(request, "panorama/regle_list.html", context)


@equipe_required
@require_POST
def regle_apply(request, pk: int):
    regle = get_object_or_404(RegleMotCle.objects.all(), pk=pk)  # staff-only rules carry no visibility
    count = services.regle_apply(actor=request.user, regle=regle)
    messages.success(
        request, _("Règle « %(motif)s » appliquée à %(n)s article(s).") % {"motif": regle.motif, "n": count}
    )
    return redirect("panorama:regle-list")


SOURCES_PER_PAGE = 50


@equipe_required
def source_list(request):
    """The sources' health, failing ones first, a page at a time."""
    page, querystring = paginate(request, selectors.sources_health(), per_page=SOURCES_PER_PAGE)
    context = {"sources": page.object_list, "page": page, "querystring": querystring}
    return render(request, "panorama/source_list.html", context)


EDITIONS_PER_PAGE = 20


def edition_list(request):
    page, querystring = paginate(request, selectors.editions_list(user=request.user), per_page=EDITIONS_PER_PAGE)
    abonnement = None
    if request.user.is_authenticated:
        abonnement = AbonnementEdition.objects.filter(membre=request.user, actif=True).exists()
    context = {"editions": page.object_list, "page": page, "querystring": querystring, "abonne": abonnement}
    return render(request, "panorama/edition_list.html", context)


def edition_detail(request, pk: int):
    """An edition as a web page. Its sections, the same for everyone who may see the edition, are
    rendered once per state of the edition (``edition_version``) and kept a while: ``sections`` is
    only read when they are rendered again."""
    edition = get_visible_or_404(Edition, request.user, pk=pk)
    context = {
        "edition": edition,
        "version": selectors.edition_version(edition=edition),
        "sections": partial(selectors.edition_sections, edition=edition),
    }
    return render(request, "panorama/edition_detail.html", context)


def edition_pdf_view(request, pk: int):
    edition = get_visible_or_404(Edition, request.user, pk=pk)
    sections = selectors.edition_sections(edition=edition)
    response = HttpResponse(edition_pdf(edition=edition, sections=sections), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="panorama-{edition.debut:%Y-%m}-{edition.pk}.pdf"'
    return response


COMPOSE_ACTIONS = ("ajouter", "retirer", "monter", "descendre")


@equipe_required
@require_http_methods(["GET", "POST"])
def edition_compose(request, pk: int):
    """Staff choose the edition's articles among the period's kept ones and order them (buttons, no drag)."""
    edition = get_visible_or_404(Edition.objects.filter(statut=Edition.Statut.BROUILLON), request.user, pk=pk)
    if request.method == "POST":
        anchor = _compose_post(request, edition)
        return redirect(f"{reverse('panorama:edition-compose', args=[edition.pk])}{anchor}")
    context = {
        "edition": edition,
        "sections": selectors.edition_sections(edition=edition, levels=edition.article_levels(), references=True),
        "candidates": selectors.edition_candidates_page(edition=edition, number=request.GET.get("page")),
    }
    return render(request, "panorama/edition_compose.html", context)


def _compose_post(request, edition) -> str:
    post, actor = request.POST, request.user
    if post.get("selection") == "ajouter" or post.get("ajouter", "").isdigit():
        ids = [
            int(v) for v in (post.getlist("articles") if post.get("selection") else [post["ajouter"]]) if v.isdigit()
        ]
        added = services.edition_articles_add(actor=actor, edition=edition, article_ids=ids)
        messages.success(request, ngettext("%(n)s article ajouté.", "%(n)s articles ajoutés.", added) % {"n": added})
        return "#edition"
    if post.get("retirer", "").isdigit():
        services.edition_article_remove(actor=actor, edition=edition, article_id=int(post["retirer"]))
        messages.success(request, _("Article retiré de l'édition."))
        return "#edition"
    for name, vers in (("monter", "haut"), ("descendre", "bas")):
        if post.get(name, "").isdigit():
            services.edition_article_move(actor=actor, edition=edition, article_id=int(post[name]), vers=vers)
            return f"#choix-{post[name]}"
        if post.get(f"{name}_rubrique"):
            services.edition_section_move(actor=actor, edition=edition, slug=post[f"{name}_rubrique"], vers=vers)
            return f"#rubrique-{post[f'{name}_rubrique']}"
    return ""


@equipe_required
def edition_email_preview(request, pk: int):
    """The e-mail the subscribers will receive: subject and text, and its HTML version."""
    edition = get_visible_or_404(Edition, request.user, pk=pk)
    email = render_email(
        "panorama/edition", {"edition": edition, "sections": selectors.edition_sections(edition=edition)}
    )
    if request.GET.get("format") == "html":
        response = HttpResponse(email.html)
        # The e-mail's own inline styles, in a page of its own that runs nothing and loads nothing.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        response._csp_exempt = True
        return response
    return render(request, "panorama/edition_email.html", {"edition": edition, "email": email})


@equipe_required
@require_http_methods(["GET", "POST"])
def edition_create(request):
    return _edition_form(request, None)


@equipe_required
@require_http_methods(["GET", "POST"])
def edition_update(request, pk: int):
    edition = get_visible_or_404(Edition.objects.filter(statut=Edition.Statut.BROUILLON), request.user, pk=pk)
    return _edition_form(request, edition)


def _edition_form(request, edition):
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_save(actor=request.user, edition=edition, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Brouillon enregistré : choisissez et ordonnez ses articles, puis relisez l'aperçu.")
            )
            return redirect("panorama:edition-compose", pk=edition.pk)
    return render(request, "panorama/edition_form.html", {"form": form, "edition": edition})


@equipe_required
@require_POST
def edition_publish(request, pk: int):
    edition = get_visible_or_404(Edition, request.user, pk=pk)
    try:
        services.edition_publish(actor=request.user, edition=edition)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Édition publiée ; les abonné·es la reçoivent par courriel."))
    return redirect(edition.get_absolute_url())


@login_required
@require_POST
def abonnement_update(request):
    form = AbonnementForm(request.POST)
    if form.is_valid():
        services.abonnement_set(actor=request.user, actif=form.cleaned_data["actif"])
        if form.cleaned_data["actif"]:
            messages.success(request, _("Vous recevrez les prochaines éditions par courriel."))
        else:
            messages.success(request, _("Vous ne recevrez plus les éditions par courriel."))
    return redirect("panorama:edition-list")


class EditionFeed(Feed):
    """Atom feed of the published editions this visitor may see (feed readers: public ones)."""

    feed_type = Atom1Feed
    title = gettext_lazy("Panorama de presse du réseau ACV Centre-Val de Loire")
    subtitle = gettext_lazy("Les éditions publiées du panorama de presse régional.")

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return reverse("panorama:edition-list")

    def items(self):
        return selectors.editions_list(user=self.request.user).filter(statut=Edition.Statut.PUBLIEE)[:30]

    def item_title(self, item):
        return item.titre

    def item_description(self, item):
        return render_markdown(item.introduction)

    def item_pubdate(self, item):
        return item.publiee_le

    def item_updateddate(self, item):
        return item.modifie_le


@require_GET
def source_choices(request):
    """Suggestions of the source box (JSON): the sources' names are public, as the panorama is."""
    return listes.suggestions_response(selectors.source_choices(), request.GET.get("q", ""))
