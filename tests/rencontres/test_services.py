import base64
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from rencontres import selectors, services
from rencontres.models import Inscription, Rencontre
from reseau_acv.core.models import Courriel
from reseau_acv.core.visibility import Visibilite
from ressources.models import Ressource, Statut
from tests.factories.comptes import ChefDeProjetFactory, PartenaireFactory
from tests.factories.rencontres import InscriptionFactory, RencontreFactory


def courriels(purpose: str) -> list[Courriel]:
    return list(Courriel.objects.filter(objet_envoi=purpose).order_by("destinataire"))


def make_ressource(titre: str, visibilite: str, statut: str = Statut.PUBLIE) -> Ressource:
    return Ressource.objects.create(
        titre=titre, slug=slugify(titre), visibilite=visibilite, statut=statut, type="presentation"
    )


# --- Registration, capacity, waiting list ----------------------------------------------------


@pytest.mark.django_db
def test_registering_under_capacity_confirms_the_place_and_sends_the_calendar_file(chef):
    """A lead who registers for a meeting with free places is registered and gets a confirmation with an .ics."""
    rencontre = RencontreFactory(capacite=2)
    inscription = services.inscription_register(actor=chef, rencontre=rencontre)
    assert inscription.statut == Inscription.Statut.INSCRIT
    [message] = courriels("rencontre_inscription")
    assert message.destinataire == chef.email
    assert "Inscription confirmée" in message.sujet
    assert message.pieces_jointes[0]["mimetype"] == "text/calendar"
    assert rencontre.lien_visio in message.texte


@pytest.mark.django_db
def test_registering_over_capacity_joins_the_waiting_list_without_the_link(chef):
    """When the meeting is full, the next member waits in line and does not receive the video link."""
    rencontre = RencontreFactory(capacite=1)
    InscriptionFactory(rencontre=rencontre)
    inscription = services.inscription_register(actor=chef, rencontre=rencontre)
    assert inscription.statut == Inscription.Statut.ATTENTE
    [message] = courriels("rencontre_inscription")
    assert "Liste d'attente" in message.sujet
    assert rencontre.lien_visio not in message.texte
    assert rencontre.lien_visio not in message.html


@pytest.mark.django_db
def test_registering_twice_keeps_one_registration(chef):
    """Clicking « S'inscrire » twice leaves one registration and one e-mail."""
    rencontre = RencontreFactory()
    services.inscription_register(actor=chef, rencontre=rencontre)
    services.inscription_register(actor=chef, rencontre=rencontre)
    assert Inscription.objects.filter(rencontre=rencontre, membre=chef).count() == 1
    assert len(courriels("rencontre_inscription")) == 1


@pytest.mark.django_db
def test_withdrawing_frees_the_place_for_the_first_in_line_who_is_told(chef):
    """A registered member withdraws: the first on the waiting list is registered and told by e-mail."""
    rencontre = RencontreFactory(capacite=1)
    services.inscription_register(actor=chef, rencontre=rencontre)
    first, second = ChefDeProjetFactory(), ChefDeProjetFactory()
    services.inscription_register(actor=first, rencontre=rencontre)
    services.inscription_register(actor=second, rencontre=rencontre)
    services.inscription_withdraw(actor=chef, rencontre=rencontre)
    statuts = dict(Inscription.objects.filter(rencontre=rencontre).values_list("membre__email", "statut"))
    assert statuts == {chef.email: "desinscrit", first.email: "inscrit", second.email: "attente"}
    [message] = courriels("rencontre_promotion")
    assert message.destinataire == first.email
    assert "Une place s'est libérée" in message.sujet
    assert rencontre.lien_visio in message.texte


@pytest.mark.django_db
def test_raising_the_capacity_moves_people_up_from_the_waiting_list(chef, equipe):
    """Staff add places: the waiting list moves up by as many people."""
    rencontre = RencontreFactory(capacite=1)
    InscriptionFactory(rencontre=rencontre)
    waiting = [ChefDeProjetFactory() for _ in range(3)]
    for membre in waiting:
        services.inscription_register(actor=membre, rencontre=rencontre)
    services.rencontre_update(actor=equipe, rencontre=rencontre, data={"capacite": 3})
    statuts = [Inscription.objects.get(rencontre=rencontre, membre=m).statut for m in waiting]
    assert statuts == ["inscrit", "inscrit", "attente"]


@pytest.mark.django_db
def test_a_member_cannot_register_for_a_meeting_above_their_level(partenaire):
    """A partner cannot register for a meeting reserved to the project leads."""
    rencontre = RencontreFactory(visibilite=Visibilite.RESEAU)
    with pytest.raises(PermissionDenied):
        services.inscription_register(actor=partenaire, rencontre=rencontre)


@pytest.mark.django_db
def test_registration_closes_at_the_deadline(chef):
    """After the registration deadline, registering is refused with a message."""
    rencontre = RencontreFactory(date_limite_inscription=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.inscription_register(actor=chef, rencontre=rencontre)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_members_taking_the_last_place_at_once_never_overbook():
    """Two members click « S'inscrire » for the last place at the same moment: one gets it, the other waits."""
    rencontre = RencontreFactory(capacite=1)
    membres = [ChefDeProjetFactory(), ChefDeProjetFactory()]
    barrier = threading.Barrier(2)
    errors = []

    def register(membre):
        try:
            barrier.wait()
            services.inscription_register(actor=membre, rencontre=rencontre)
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(m,)) for m in membres]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuts = sorted(Inscription.objects.filter(rencontre=rencontre).values_list("statut", flat=True))
    assert statuts == ["attente", "inscrit"]


# --- Publishing, changes, cancellation --------------------------------------------------------


@pytest.mark.django_db
def test_publishing_invites_each_member_of_the_audience_once(equipe):
    """Publishing a meeting for the network invites leads and staff, not partners, each once."""
    chef, partenaire = ChefDeProjetFactory(), PartenaireFactory()
    rencontre = RencontreFactory(statut=Rencontre.Statut.BROUILLON, visibilite=Visibilite.RESEAU)
    services.rencontre_publish(actor=equipe, rencontre=rencontre)
    recipients = {c.destinataire for c in courriels("rencontre_invitation")}
    assert recipients == {chef.email, equipe.email}
    assert partenaire.email not in recipients
    with pytest.raises(ValidationError):
        services.rencontre_publish(actor=equipe, rencontre=rencontre)
    assert len(courriels("rencontre_invitation")) == 2


@pytest.mark.django_db
def test_only_staff_publish(chef):
    """A lead cannot publish a meeting."""
    rencontre = RencontreFactory(statut=Rencontre.Statut.BROUILLON)
    with pytest.raises(PermissionDenied):
        services.rencontre_publish(actor=chef, rencontre=rencontre)


@pytest.mark.django_db
def test_a_change_of_date_is_announced_once_per_change(equipe, chef):
    """Moving a meeting tells registered members once; saving again without change sends nothing more."""
    rencontre = RencontreFactory()
    InscriptionFactory(rencontre=rencontre, membre=chef)
    new_debut = rencontre.debut + timedelta(days=1)
    data = {"debut": new_debut, "fin": new_debut + timedelta(hours=2)}
    services.rencontre_update(actor=equipe, rencontre=rencontre, data=data)
    services.rencontre_update(actor=equipe, rencontre=rencontre, data=data)
    assert [c.destinataire for c in courriels("rencontre_modification")] == [chef.email]
    services.rencontre_update(actor=equipe, rencontre=rencontre, data={"lien_visio": "https://visio.example.org/autre"})
    assert len(courriels("rencontre_modification")) == 2
    rencontre.refresh_from_db()
    assert rencontre.version == 2


@pytest.mark.django_db
def test_editing_the_title_sends_no_notice(equipe, chef):
    """Fixing a typo in the title is not a change members are told about."""
    rencontre = RencontreFactory()
    InscriptionFactory(rencontre=rencontre, membre=chef)
    services.rencontre_update(actor=equipe, rencontre=rencontre, data={"titre": "Nouveau titre"})
    assert courriels("rencontre_modification") == []


@pytest.mark.django_db
def test_cancelling_tells_registered_and_waiting_members_once(equipe):
    """Cancelling tells everyone registered or waiting, once, with a cancelled calendar event."""
    rencontre = RencontreFactory(capacite=1)
    inscrit = InscriptionFactory(rencontre=rencontre).membre
    attente = InscriptionFactory(rencontre=rencontre, statut=Inscription.Statut.ATTENTE).membre
    InscriptionFactory(rencontre=rencontre, statut=Inscription.Statut.DESINSCRIT)
    services.rencontre_cancel(actor=equipe, rencontre=rencontre)
    with pytest.raises(ValidationError):
        services.rencontre_cancel(actor=equipe, rencontre=rencontre)
    sent = courriels("rencontre_annulation")
    assert {c.destinataire for c in sent} == {inscrit.email, attente.email}
    assert len(sent) == 2
    assert b"STATUS:CANCELLED" in base64.b64decode(sent[0].pieces_jointes[0]["content"])


# --- Reminders -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_go_seven_days_and_one_day_before_and_once_each(django_capture_on_commit_callbacks):
    """Reminders go at D-7 and D-1 to registered members only, each once, however often the job runs."""
    debut = timezone.now().replace(microsecond=0) + timedelta(days=10)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    inscrits = [InscriptionFactory(rencontre=rencontre).membre for _ in range(3)]
    InscriptionFactory(rencontre=rencontre, statut=Inscription.Statut.ATTENTE)
    with django_capture_on_commit_callbacks(execute=True):
        run_all_steps(rencontre, debut, inscrits)
    assert len(mail.outbox) == 6
    assert {m.to[0] for m in mail.outbox} == {m.email for m in inscrits}


def run_all_steps(rencontre, debut, inscrits):
    assert services.rencontres_send_due_reminders(now=debut - timedelta(days=8)) == 0
    assert services.rencontres_send_due_reminders(now=debut - timedelta(days=7)) == 3
    assert services.rencontres_send_due_reminders(now=debut - timedelta(days=6)) == 0
    assert services.rencontre_send_reminder(rencontre_id=rencontre.pk, kind="j7", now=debut - timedelta(days=6)) == 0
    assert services.rencontres_send_due_reminders(now=debut - timedelta(hours=23)) == 3
    assert services.rencontres_send_due_reminders(now=debut - timedelta(hours=2)) == 0
    assert {c.destinataire for c in courriels("rencontre_rappel_j7")} == {m.email for m in inscrits}
    assert len(courriels("rencontre_rappel_j1")) == 3
    assert "Demain" in courriels("rencontre_rappel_j1")[0].sujet


@pytest.mark.django_db
def test_a_cancelled_or_draft_meeting_gets_no_reminder():
    """No reminder goes for a cancelled meeting."""
    debut = timezone.now() + timedelta(hours=12)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=1), statut=Rencontre.Statut.ANNULEE)
    InscriptionFactory(rencontre=rencontre)
    assert services.rencontres_send_due_reminders() == 0
    assert courriels("rencontre_rappel_j1") == []


@pytest.mark.django_db
def test_a_moved_meeting_gets_fresh_reminders(equipe):
    """When a meeting moves after its D-1 reminder, the members get a reminder for the new date."""
    debut = timezone.now().replace(microsecond=0) + timedelta(hours=20)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    InscriptionFactory(rencontre=rencontre)
    assert services.rencontres_send_due_reminders() == 1
    later = debut + timedelta(hours=2)
    services.rencontre_update(
        actor=equipe, rencontre=rencontre, data={"debut": later, "fin": later + timedelta(hours=1)}
    )
    assert services.rencontres_send_due_reminders() == 1
    assert len(courriels("rencontre_rappel_j1")) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_running_the_reminders_at_once_send_each_once():
    """Two workers running the reminder job at the same moment record each reminder once."""
    debut = timezone.now().replace(microsecond=0) + timedelta(hours=10)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    for _ in range(5):
        InscriptionFactory(rencontre=rencontre)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(services.rencontre_send_reminder(rencontre_id=rencontre.pk, kind="j1"))
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [0, 5]
    assert Courriel.objects.filter(objet_envoi="rencontre_rappel_j1").count() == 5
    assert Courriel.objects.filter(objet_envoi="rencontre_rappel_j1", statut="envoye").count() == 5
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_a_failed_reminder_is_retried_and_then_sent_once(monkeypatch, django_capture_on_commit_callbacks):
    """The mail server fails once: the reminder stays pending, the next flush sends it, and only once."""
    from django.core.mail.backends.locmem import EmailBackend

    from reseau_acv.core.outbox import outbox_flush

    debut = timezone.now() + timedelta(hours=10)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    InscriptionFactory(rencontre=rencontre)
    real_send = EmailBackend.send_messages
    failures = {"left": 1}

    def flaky(self, messages):
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionRefusedError("serveur SMTP indisponible")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        services.rencontres_send_due_reminders()
    [courriel] = courriels("rencontre_rappel_j1")
    assert courriel.statut == Courriel.Statut.EN_ATTENTE
    assert courriel.tentatives == 0  # a server that refuses connections costs the message no attempt (outbox)
    assert mail.outbox == []
    Courriel.objects.filter(pk=courriel.pk).update(prochain_essai=timezone.now())
    assert outbox_flush() == 1
    assert outbox_flush() == 0
    services.rencontres_send_due_reminders()
    courriel.refresh_from_db()
    assert courriel.statut == Courriel.Statut.ENVOYE
    assert len(mail.outbox) == 1


# --- After the meeting ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_follow_up_goes_to_participants_and_absentees_with_the_materials_each_may_see(equipe):
    """The follow-up goes once to everyone registered, present or not, listing only materials they may see."""
    debut = timezone.now() - timedelta(days=2)
    rencontre = RencontreFactory(
        debut=debut,
        fin=debut + timedelta(hours=3),
        visibilite=Visibilite.PARTENAIRES,
        compte_rendu="## Relevé\n\nOPAH-RU : **trois villes**.",
    )
    rencontre.materiaux.add(
        make_ressource("Diaporama ouvert", Visibilite.PARTENAIRES),
        make_ressource("Notes internes", Visibilite.RESEAU),
        make_ressource("Brouillon caché", Visibilite.PARTENAIRES, statut=Statut.BROUILLON),
    )
    present = InscriptionFactory(rencontre=rencontre, present=True, membre=PartenaireFactory())
    absent = InscriptionFactory(rencontre=rencontre, present=False)
    InscriptionFactory(rencontre=rencontre, statut=Inscription.Statut.DESINSCRIT)
    assert services.rencontre_send_followup(actor=equipe, rencontre=rencontre) == 2
    assert services.rencontre_send_followup(actor=equipe, rencontre=rencontre) == 0
    by_email = {c.destinataire: c for c in courriels("rencontre_suivi")}
    assert set(by_email) == {present.membre.email, absent.membre.email}
    assert "Diaporama ouvert" in by_email[present.membre.email].texte
    assert "Notes internes" not in by_email[present.membre.email].texte
    assert "Notes internes" in by_email[absent.membre.email].texte
    assert "Brouillon caché" not in by_email[absent.membre.email].texte
    assert "trois villes" in by_email[absent.membre.email].texte
    rencontre.refresh_from_db()
    assert rencontre.statut == Rencontre.Statut.TENUE


@pytest.mark.django_db
def test_staff_mark_attendance_after_the_meeting(equipe):
    """Staff tick who came; the others are marked absent."""
    debut = timezone.now() - timedelta(hours=3)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    venu, absent = InscriptionFactory(rencontre=rencontre), InscriptionFactory(rencontre=rencontre)
    services.inscription_set_attendance(actor=equipe, rencontre=rencontre, presents={venu.pk})
    venu.refresh_from_db()
    absent.refresh_from_db()
    assert (venu.present, absent.present) == (True, False)


@pytest.mark.django_db
def test_ended_meetings_are_marked_held():
    """The periodic job marks ended published meetings as held, and leaves the others."""
    debut = timezone.now() - timedelta(days=1)
    ended = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    upcoming = RencontreFactory()
    assert services.rencontres_mark_held() == 1
    assert services.rencontres_mark_held() == 0
    ended.refresh_from_db()
    upcoming.refresh_from_db()
    assert (ended.statut, upcoming.statut) == ("tenue", "publiee")


# --- Calendar feed token -----------------------------------------------------------------------


@pytest.mark.django_db
def test_renewing_the_feed_token_disables_the_old_address(chef):
    """After renewal, the old private address no longer opens the feed."""
    old = services.flux_renew(actor=chef)
    assert selectors.flux_owner(token=old) == chef
    new = services.flux_renew(actor=chef)
    assert selectors.flux_owner(token=old) is None
    assert selectors.flux_owner(token=new) == chef


@pytest.mark.django_db
def test_a_deactivated_member_feed_stops_working(chef):
    """A member whose account is deactivated loses their feed."""
    token = services.flux_renew(actor=chef)
    chef.is_active = False
    chef.save()
    assert selectors.flux_owner(token=token) is None


@pytest.mark.django_db
def test_staff_create_a_meeting_as_a_draft_with_validation(equipe, chef):
    """Staff create drafts; an end before the start is refused; leads may not create meetings."""
    debut = timezone.now() + timedelta(days=3)
    data = {"titre": "Webinaire OPAH-RU", "type": "webinaire", "debut": debut, "fin": debut + timedelta(hours=1)}
    rencontre = services.rencontre_create(actor=equipe, data=data)
    assert rencontre.statut == Rencontre.Statut.BROUILLON
    with pytest.raises(ValidationError):
        services.rencontre_create(actor=equipe, data={**data, "fin": debut - timedelta(hours=1)})
    with pytest.raises(PermissionDenied):
        services.rencontre_create(actor=chef, data=data)


@pytest.mark.django_db
def test_reminders_skip_members_who_may_no_longer_see_the_meeting():
    """A deactivated member, or a partner registered before the meeting was restricted to leads, gets no reminder."""
    debut = timezone.now() + timedelta(hours=10)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2), visibilite=Visibilite.RESEAU)
    kept = InscriptionFactory(rencontre=rencontre).membre
    gone = InscriptionFactory(rencontre=rencontre).membre
    gone.is_active = False
    gone.save()
    InscriptionFactory(rencontre=rencontre, membre=PartenaireFactory())
    assert services.rencontres_send_due_reminders() == 1
    assert [c.destinataire for c in courriels("rencontre_rappel_j1")] == [kept.email]


@pytest.mark.django_db
def test_members_who_chose_no_invitation_email_are_not_invited(equipe):
    """Rencontres asks core's notification choices: « jamais » or « récapitulatif » for invitations leaves a member out."""
    from reseau_acv.core.models import ChoixNotification

    opted_out, digest, invited = ChefDeProjetFactory(), ChefDeProjetFactory(), ChefDeProjetFactory()
    ChoixNotification.objects.create(membre=opted_out, type="invitation", envoi="jamais")
    ChoixNotification.objects.create(membre=digest, type="invitation", envoi="resume")
    rencontre = RencontreFactory(statut=Rencontre.Statut.BROUILLON)
    services.rencontre_publish(actor=equipe, rencontre=rencontre)
    recipients = {c.destinataire for c in courriels("rencontre_invitation")}
    assert invited.email in recipients
    assert opted_out.email not in recipients
    assert digest.email not in recipients


@pytest.mark.django_db
def test_reminders_are_rendered_before_the_meeting_row_is_locked():
    """The reminders are rendered and recorded first; the meeting's row is locked only afterwards,
    for the final write, so registrations never wait for the rendering."""
    from django.test.utils import CaptureQueriesContext

    debut = timezone.now() + timedelta(hours=10)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    for _ in range(3):
        InscriptionFactory(rencontre=rencontre)
    with CaptureQueriesContext(connection) as queries:
        assert services.rencontre_send_reminder(rencontre_id=rencontre.pk, kind="j1") == 3
    sqls = [q["sql"] for q in queries.captured_queries]
    inserted = next(i for i, sql in enumerate(sqls) if sql.startswith('INSERT INTO "core_courriel"'))
    locked = next(i for i, sql in enumerate(sqls) if "FOR UPDATE" in sql and "rencontres_rencontre" in sql)
    assert inserted < locked
    assert sum("FOR UPDATE" in sql for sql in sqls) == 1


@pytest.mark.django_db
def test_a_meeting_changed_while_its_reminders_render_keeps_none_of_them(monkeypatch):
    """If the meeting is edited while its reminders are being rendered, that run keeps nothing;
    the next run records them with the new date."""
    debut = timezone.now().replace(microsecond=0) + timedelta(hours=10)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    InscriptionFactory(rencontre=rencontre)
    real_record = services.outbox_record_many

    def record_then_edit(messages, **kwargs):
        result = real_record(messages, **kwargs)
        Rencontre.objects.filter(pk=rencontre.pk).update(modifie_le=timezone.now() + timedelta(seconds=1))
        return result

    monkeypatch.setattr(services, "outbox_record_many", record_then_edit)
    assert services.rencontre_send_reminder(rencontre_id=rencontre.pk, kind="j1") == 0
    assert Courriel.objects.filter(objet_envoi="rencontre_rappel_j1").count() == 0
    monkeypatch.setattr(services, "outbox_record_many", real_record)
    assert services.rencontre_send_reminder(rencontre_id=rencontre.pk, kind="j1") == 1
