from django import template

from reseau_acv.core.markdown import render_markdown

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
