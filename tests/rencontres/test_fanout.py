"""E-mails to many members (publish, change, cancel, promotion, follow-up) are recorded in a
constant number of queries, and the meeting's row is locked only for its final write."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rencontres import services
from rencontres.models import Inscription, Rencontre
from reseau_acv.core.models import Courriel
from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory
from tests.factories.rencontres import InscriptionFactory, RencontreFactory

pytestmark = pytest.mark.django_db


def _publish_queries(equipe, n: int) -> tuple[int, list[str]]:
    for _ in range(n):
        ChefDeProjetFactory()
    rencontre = RencontreFactory(statut=Rencontre.Statut.BROUILLON, visibilite="reseau")
    with CaptureQueriesContext(connection) as queries:
        services.rencontre_publish(actor=equipe, rencontre=rencontre)
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_publishing_to_1_or_40_members_runs_the_same_number_of_queries(equipe):
    """Inviting 40 members costs the same queries as inviting 1: the invitations are recorded in one batch."""
    one, _ = _publish_queries(equipe, 1)
    Courriel.objects.all().delete()
    many, _ = _publish_queries(equipe, 40)
    assert many == one
    # 41 leads (the first call's and these 40) and the staff member
    assert Courriel.objects.filter(objet_envoi="rencontre_invitation").count() == 42


def test_the_meeting_row_is_locked_only_after_the_invitations_are_recorded(equipe):
    """The lock on the meeting comes last: every outbox write happens before it, none after."""
    _, sqls = _publish_queries(equipe, 5)
    lock = next(i for i, sql in enumerate(sqls) if "FOR UPDATE" in sql and "rencontres_rencontre" in sql)
    assert any('INSERT INTO "core_courriel"' in sql for sql in sqls[:lock])
    assert not any("core_courriel" in sql for sql in sqls[lock:])


def test_a_meeting_changed_during_the_fan_out_is_not_published_and_nothing_is_recorded(equipe, monkeypatch):
    """If someone edits the meeting while its invitations are written, publishing stops and records nothing."""
    ChefDeProjetFactory()
    rencontre = RencontreFactory(statut=Rencontre.Statut.BROUILLON, visibilite="reseau")
    recorded = services._record_many

    def record_then_someone_edits(messages):
        created = recorded(messages)
        Rencontre.objects.filter(pk=rencontre.pk).update(titre="Titre changé", modifie_le=timezone.now())
        return created

    monkeypatch.setattr(services, "_record_many", record_then_someone_edits)
    with pytest.raises(services.RencontreChanged):
        services.rencontre_publish(actor=equipe, rencontre=rencontre)
    assert not Courriel.objects.filter(objet_envoi="rencontre_invitation").exists()
    assert Rencontre.objects.get(pk=rencontre.pk).statut == Rencontre.Statut.BROUILLON


def _queries(action) -> int:
    ContentType.objects.clear_cache()  # each measure starts cold, whichever ran first
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def _meeting(n: int, **kwargs) -> Rencontre:
    rencontre = RencontreFactory(visibilite="partenaires", **kwargs)
    for i in range(n):
        InscriptionFactory(rencontre=rencontre, membre=ChefDeProjetFactory() if i % 2 else PartenaireFactory())
    return rencontre


def _move(equipe, n: int) -> int:
    rencontre = _meeting(n)
    shift = timedelta(days=1)
    data = {"debut": rencontre.debut + shift, "fin": rencontre.fin + shift}
    return _queries(lambda: services.rencontre_update(actor=equipe, rencontre=rencontre, data=data))


def _cancel(equipe, n: int) -> int:
    rencontre = _meeting(n)
    return _queries(lambda: services.rencontre_cancel(actor=equipe, rencontre=rencontre))


def _follow_up(equipe, n: int) -> int:
    past = timezone.now() - timedelta(days=2)
    rencontre = _meeting(n, debut=past, fin=past + timedelta(hours=2))
    return _queries(lambda: services.rencontre_send_followup(actor=equipe, rencontre=rencontre))


@pytest.mark.parametrize("action", [_move, _cancel, _follow_up], ids=["change", "cancel", "follow-up"])
def test_change_cancel_and_follow_up_run_the_same_queries_for_2_or_12_registrants(equipe, action):
    """Moving, cancelling and following up a meeting of 12 registrants (partners and leads) costs what it costs
    for 2: the follow-up reads the materials once per visibility level, not once per member."""
    assert action(equipe, 12) == action(equipe, 2)
    purposes = {_move: "rencontre_modification", _cancel: "rencontre_annulation", _follow_up: "rencontre_suivi"}
    assert Courriel.objects.filter(objet_envoi=purposes[action]).count() == 14


def _promote(equipe, n: int) -> int:
    rencontre = RencontreFactory(capacite=1, visibilite="reseau")
    InscriptionFactory(rencontre=rencontre, membre=ChefDeProjetFactory())
    for _ in range(n):
        InscriptionFactory(
            rencontre=rencontre,
            membre=ChefDeProjetFactory(),
            statut=Inscription.Statut.ATTENTE,
            attente_depuis=timezone.now(),
        )
    count = _queries(lambda: services.rencontre_update(actor=equipe, rencontre=rencontre, data={"capacite": 50}))
    assert rencontre.inscriptions.inscrits().count() == n + 1
    return count


def test_raising_the_capacity_promotes_many_in_constant_queries(equipe):
    """Raising the capacity moves up 10 waiting members with the queries it takes for 1, their e-mails in one batch."""
    assert _promote(equipe, 10) == _promote(equipe, 1)
    assert Courriel.objects.filter(objet_envoi="rencontre_promotion").count() == 11
