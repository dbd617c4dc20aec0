"""Who may do what in the library. Reads go through each model's ``visible_to(user)``."""

from __future__ import annotations

from reseau_acv.core.permissions import is_chef_de_projet, is_member, may_moderate

from .models import Message, Question, Statut


def can_contribute(user) -> bool:
    """Project leads and staff share resources, experience sheets and questions."""
    return is_chef_de_projet(user) or may_moderate(user)


def can_edit(user, obj) -> bool:
    """A lead edits their own contributions; staff edit everything."""
    if may_moderate(user):
        return True
    return can_contribute(user) and obj.auteur_id == user.pk


def can_comment(user, fil) -> bool:
    """Signed-in members may answer a published, open thread they can see."""
    if not is_member(user) or fil.statut != Statut.PUBLIE:
        return False
    return not (isinstance(fil, Question) and fil.fermee)


def can_accept_answer(user, question: Question) -> bool:
    return is_member(user) and (question.auteur_id == user.pk or may_moderate(user))


def can_report(user, message: Message) -> bool:
    return is_member(user) and message.auteur_id != user.pk


def can_solicit(user, question: Question) -> bool:
    """The asker, and staff, ask members who may know to answer (« solliciter »)."""
    return is_member(user) and (question.auteur_id == user.pk or may_moderate(user))


def can_mark_useful(user, obj) -> bool:
    """Members mark what others wrote as useful: published content, or a visible answer or comment."""
    if not is_member(user) or obj.auteur_id == user.pk:
        return False
    if isinstance(obj, Message):
        return not obj.masque
    return obj.statut == Statut.PUBLIE
