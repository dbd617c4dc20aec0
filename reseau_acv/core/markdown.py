"""Markdown rendering with sanitised HTML: what members write never carries script or style."""

from __future__ import annotations

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": {"colspan"}}


def render_markdown(text: str | None) -> SafeString:
    """Markdown to HTML, then sanitised by nh3 (allow-list of tags, attributes and URL schemes)."""
    if not text:
        return mark_safe("")  # noqa: S308 (the empty string is safe)
    html = md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 just above)


def markdown_to_text(text: str | None) -> str:
    """Plain text for e-mails and excerpts: the rendered HTML with tags stripped."""
    if not text:
        return ""
    return nh3.clean(str(render_markdown(text)), tags=set()).strip()
