"""core.notifications: who is told, once, by which e-mail, in how many queries; follows and choices."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reseau_acv.comptes.models import Role, User
from reseau_acv.core import notifications
from reseau_acv.core.models import ChoixNotification, Courriel, Envoi, Notification, Suivi
from reseau_acv.core.notifications import Audience, notify
from reseau_acv.core.visibility import Visibilite
from ressources.models import Question
from tests.factories.comptes import ChefDeProjetFactory, EquipeFactory, PartenaireFactory
from tests.factories.ressources import QuestionFactory

pytestmark = pytest.mark.django_db


def _notify(question, actor, recipients, *, kind="suivi", event=None):
    return notify(
        kind=kind,
        event=event or f"test:{question.pk}",
        actor=actor,
        recipients=recipients,
        text="Quelqu'un a répondu",
        target=question,
        visible_to=Question.objects.visible_to,
        url=question.get_absolute_url() + "#message-1",
        excerpt="Une réponse utile.",
    )


def test_only_members_who_may_see_the_content_are_told_and_never_the_actor():
    """A partner is not told of a network-level question; the actor is never told."""
    question = QuestionFactory(visibilite=Visibilite.RESEAU)
    actor, chef, partenaire, equipe = ChefDeProjetFactory(), ChefDeProjetFactory(), PartenaireFactory(), EquipeFactory()
    result = _notify(question, actor, [actor, chef, partenaire, equipe])
    told = set(Notification.objects.values_list("destinataire_id", flat=True))
    assert told == {chef.pk, equipe.pk}
    assert result.created == 2


def test_the_author_of_hidden_content_is_told_but_not_the_others_of_the_level():
    """A hidden question is still seen by its author (a member of a level that may not see it)."""
    question = QuestionFactory(statut="masque")
    other = ChefDeProjetFactory()
    _notify(question, EquipeFactory(), [question.auteur, other])
    assert set(Notification.objects.values_list("destinataire_id", flat=True)) == {question.auteur_id}


def test_recording_the_same_event_twice_tells_nobody_twice():
    """The (event, recipient) key makes notify idempotent, e-mails included."""
    question = QuestionFactory()
    chef = ChefDeProjetFactory()
    first = _notify(question, None, [chef], kind="reponse")
    second = _notify(question, None, [chef], kind="reponse")
    assert (first.created, second.created) == (1, 0)
    assert Notification.objects.count() == 1
    assert Courriel.objects.filter(destinataire=chef.email).count() == 1


def test_the_email_follows_each_members_choice():
    """At once: an e-mail now; in the digest or never: none now (the digest reads the pending ones)."""
    question = QuestionFactory()
    now_, digest, never, default = (ChefDeProjetFactory() for _ in range(4))
    ChoixNotification.objects.create(membre=now_, type="suivi", envoi=Envoi.IMMEDIAT)
    ChoixNotification.objects.create(membre=digest, type="suivi", envoi=Envoi.RESUME)
    ChoixNotification.objects.create(membre=never, type="suivi", envoi=Envoi.JAMAIS)
    _notify(question, None, [now_, digest, never, default])
    assert set(Courriel.objects.values_list("destinataire", flat=True)) == {now_.email}
    envois = dict(Notification.objects.values_list("destinataire_id", "envoi"))
    assert envois == {now_.pk: "immediat", digest.pk: "resume", never.pk: "jamais", default.pk: "resume"}
    message = Courriel.objects.get()
    assert "Quelqu'un a répondu" in message.sujet
    assert f"{question.get_absolute_url()}#message-1" in message.texte
    assert "/mon-compte/notifications/" in message.texte


def test_addressed_kinds_are_emailed_at_once_by_default():
    """An answer to my question reaches me by e-mail without my choosing anything."""
    question = QuestionFactory()
    _notify(question, None, [question.auteur], kind="reponse")
    assert Courriel.objects.filter(destinataire=question.auteur.email).exists()


def test_a_member_in_several_audiences_is_told_once_by_the_first():
    """The author mentioned in an answer to their question gets one notification, « réponse »."""
    question = QuestionFactory()
    follower = ChefDeProjetFactory()
    notify(
        event="evt",
        actor=None,
        target=question,
        visible_to=Question.objects.visible_to,
        url="/x/",
        audiences=[
            Audience("reponse", [question.auteur], "réponse"),
            Audience("mention", [question.auteur], "mention"),
            Audience("suivi", [question.auteur, follower], "suivi"),
        ],
    )
    assert dict(Notification.objects.values_list("destinataire_id", "type")) == {
        question.auteur_id: "reponse",
        follower.pk: "suivi",
    }


def test_the_unread_counter_follows_notify_open_and_read_all():
    """The header's counter: recounted on notify, on opening one, on « tout marquer comme lu »."""
    question = QuestionFactory()
    chef = ChefDeProjetFactory()
    _notify(question, None, [chef], event="a")
    _notify(question, None, [chef], event="b")
    chef.refresh_from_db()
    assert chef.notifications_non_lues == 2
    first = Notification.objects.filter(destinataire=chef).first()
    notifications.notification_open(actor=chef, notification_id=first.pk)
    chef.refresh_from_db()
    assert chef.notifications_non_lues == 1
    with pytest.raises(Notification.DoesNotExist):
        notifications.notification_open(actor=ChefDeProjetFactory(), notification_id=first.pk)
    assert notifications.notifications_mark_all_read(actor=chef) == 1
    chef.refresh_from_db()
    assert chef.notifications_non_lues == 0


def _count_notify(n: int) -> int:
    question = QuestionFactory()
    User.objects.bulk_create(
        [User(email=f"suiveur{n}-{i}@reseau-acv.test", role=Role.CHEF_DE_PROJET, password="!") for i in range(n)]
    )
    notifications.follow_automatically(users=User.objects.filter(email__startswith=f"suiveur{n}-"), target=question)
    half = list(User.objects.filter(email__startswith=f"suiveur{n}-").order_by("pk")[: n // 2])
    ChoixNotification.objects.bulk_create(
        [ChoixNotification(membre=m, type="suivi", envoi=Envoi.IMMEDIAT) for m in half]
    )
    with CaptureQueriesContext(connection) as queries:
        result = _notify(question, None, User.objects.filter(pk__in=notifications.followers(question)))
    assert result.created == n
    assert result.emails == n // 2
    return len(queries)


def test_notifying_followers_takes_the_same_queries_for_5_and_500():
    """A question followed by 500 members is told in as many queries as one followed by 5."""
    assert _count_notify(5) == _count_notify(500)


def test_follow_refuses_what_the_member_may_not_see_and_unfollow_stops():
    """Following needs seeing; stopping removes the follow; automatic follows are bulk and idempotent."""
    question = QuestionFactory(visibilite=Visibilite.RESEAU)
    partenaire, chef = PartenaireFactory(), ChefDeProjetFactory()
    with pytest.raises(PermissionDenied):
        notifications.follow(actor=partenaire, target=question, visible_to=Question.objects.visible_to)
    notifications.follow(actor=chef, target=question, visible_to=Question.objects.visible_to)
    notifications.follow_automatically(users=[chef, question.auteur], target=question)
    assert set(notifications.followers(question)) == {chef.pk, question.auteur_id}
    assert notifications.unfollow(actor=chef, target=question) is True
    assert list(notifications.followers(question)) == [question.auteur_id]


def test_wanting_email_reads_the_choices_in_one_queryset():
    """Invitations: a member who chose « jamais » is left out; the default is « tout de suite »."""
    keep, refuse = ChefDeProjetFactory(), ChefDeProjetFactory()
    ChoixNotification.objects.create(membre=refuse, type="invitation", envoi=Envoi.JAMAIS)
    wanted = notifications.wanting_email("invitation", User.objects.filter(pk__in=[keep.pk, refuse.pk]))
    assert list(wanted) == [keep]


def test_read_notifications_are_purged_after_the_retention_period(settings):
    """Read ones older than NOTIFICATION_RETENTION_DAYS go; unread and recent ones stay."""
    settings.NOTIFICATION_RETENTION_DAYS = 365
    question = QuestionFactory()
    chef = ChefDeProjetFactory()
    for event in ("vieille", "recente", "non-lue"):
        _notify(question, None, [chef], event=event)
    old = timezone.now() - timedelta(days=400)
    Notification.objects.filter(cle="vieille").update(lue_le=old)
    Notification.objects.filter(cle="recente").update(lue_le=timezone.now())
    assert notifications.notifications_retention_purge() == 1
    assert set(Notification.objects.values_list("cle", flat=True)) == {"recente", "non-lue"}


def test_choices_are_saved_only_by_the_member():
    """A member saves their own choices; nobody else's."""
    chef, other = ChefDeProjetFactory(), ChefDeProjetFactory()
    notifications.choices_save(actor=chef, user=chef, choices={"suivi": Envoi.IMMEDIAT})
    assert ChoixNotification.objects.get(membre=chef, type="suivi").envoi == Envoi.IMMEDIAT
    with pytest.raises(PermissionDenied):
        notifications.choices_save(actor=other, user=chef, choices={"suivi": Envoi.JAMAIS})
    assert Suivi.objects.count() == 0
