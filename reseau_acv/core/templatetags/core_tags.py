from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from reseau_acv.core.markdown import render_markdown
from reseau_acv.core.permissions import may_see_member_page

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render member-written Markdown as sanitised HTML."""
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def membre_nom(context, member, ancien: str = ""):
    """A member's name, linked to their page when the viewer may open it (in the directory, oneself,
    or any member for staff); a deleted account reads « Ancien membre » (or ``ancien``), unlinked."""
    if member is None:
        return ancien or _("Ancien membre")
    name = member.get_full_name() or _("Membre du réseau")
    request = context.get("request")
    if not may_see_member_page(getattr(request, "user", None), member):
        return name
    try:
        url = reverse("accueil:membre", kwargs={"pk": member.pk})
    except NoReverseMatch:  # a deployment without the members' pages
        return name
    return format_html('<a href="{}">{}</a>', url, name)


@register.filter
def fields_with_errors(form) -> list:
    """The visible fields of ``form`` that hold an error, in the form's order (for the error summary)."""
    return [field for field in form.visible_fields() if field.errors]
