from django import template
from django.urls import NoReverseMatch, reverse

from reseau_acv.core.markdown import render_markdown
from reseau_acv.core.mentions import link_mentions

register = template.Library()


def member_url(user) -> str:
    """The member page of a member in the directory; nothing (bold text) otherwise."""
    if not user.consentement_annuaire:
        return ""
    try:
        return reverse("accueil:membre", kwargs={"pk": user.pk})
    except NoReverseMatch:  # the member page is not installed: the directory
        return reverse("villes:user-directory")


@register.filter
def message_html(message):
    """An answer or a comment as sanitised HTML, its « @Prénom Nom » linked to the member's page
    (``mentions`` prefetched: no query)."""
    return render_markdown(link_mentions(message.corps, message.mentions.all(), member_url))
