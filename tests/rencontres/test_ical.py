from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from rencontres import ical
from rencontres.models import Rencontre
from tests.factories.rencontres import RencontreFactory
from tests.factories.villes import VilleFactory

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")


def parse_event(body: bytes):
    calendar = Calendar.from_ical(body)
    [event] = calendar.walk("VEVENT")
    return calendar, event


@pytest.mark.django_db
def test_a_meeting_exports_as_a_valid_icalendar_event_with_alarm_and_link():
    """The .ics parses back with icalendar and carries title, times, place, link back, alarm and timezone."""
    ville = VilleFactory(nom="Bourges")
    rencontre = RencontreFactory(
        titre="Visite de l'OPAH-RU de Bourges", ville=ville, adresse="Hôtel de ville", format=Rencontre.Format.HYBRIDE
    )
    calendar, event = parse_event(ical.rencontre_ics(rencontre, with_video_link=True))
    assert str(calendar["version"]) == "2.0"
    assert "PRODID" in calendar
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(event["summary"]) == "Visite de l'OPAH-RU de Bourges"
    assert str(event["uid"]).startswith(f"rencontre-{rencontre.pk}@")
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event.decoded("dtstart") == rencontre.debut
    assert event.decoded("dtend") == rencontre.fin
    assert str(event["url"]).endswith(f"/rencontres/{rencontre.pk}/")
    assert str(event["location"]) == "Hôtel de ville, Bourges"
    assert str(event["status"]) == "CONFIRMED"
    assert "DTSTAMP" in event
    [alarm] = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == -timedelta(hours=1)
    assert rencontre.lien_visio in str(event["description"])


@pytest.mark.django_db
def test_the_video_link_stays_out_when_not_allowed():
    """Without the right to see it, the video link is absent from the event."""
    rencontre = RencontreFactory()
    body = ical.rencontre_ics(rencontre, with_video_link=False)
    assert rencontre.lien_visio.encode() not in body.replace(b"\r\n ", b"")


@pytest.mark.django_db
def test_a_cancelled_meeting_is_exported_as_cancelled_with_a_higher_sequence():
    """A cancelled meeting appears as STATUS:CANCELLED with a higher SEQUENCE, so calendars update it."""
    rencontre = RencontreFactory(statut=Rencontre.Statut.ANNULEE, version=3)
    _calendar, event = parse_event(ical.rencontre_ics(rencontre, with_video_link=False))
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("local_start", "utc_start", "utc_offset_hours"),
    [
        # Sunday 27 October 2030: clocks go back at 03:00 CEST → 02:00 CET.
        ((2030, 10, 26, 10, 0), (2030, 10, 26, 8, 0), 2),
        ((2030, 10, 28, 10, 0), (2030, 10, 28, 9, 0), 1),
        # Sunday 30 March 2031: clocks go forward at 02:00 CET → 03:00 CEST.
        ((2031, 3, 29, 10, 0), (2031, 3, 29, 9, 0), 1),
        ((2031, 3, 31, 10, 0), (2031, 3, 31, 8, 0), 2),
    ],
)
def test_times_are_right_on_both_sides_of_the_clock_changes(local_start, utc_start, utc_offset_hours):
    """A 10:00 meeting in Paris is 10:00 local in the .ics whatever the season, and the right UTC instant."""
    debut = datetime(*local_start, tzinfo=PARIS)
    rencontre = RencontreFactory(debut=debut, fin=debut + timedelta(hours=2))
    _calendar, event = parse_event(ical.rencontre_ics(rencontre, with_video_link=False))
    start = event.decoded("dtstart")
    assert start.timetuple()[:5] == local_start
    assert start.utcoffset() == timedelta(hours=utc_offset_hours)
    assert start.astimezone(UTC) == datetime(*utc_start, tzinfo=UTC)
    assert f"DTSTART;TZID=Europe/Paris:{debut:%Y%m%dT%H%M%S}" in event.to_ical().decode()


@pytest.mark.django_db
def test_a_meeting_spanning_the_october_clock_change_lasts_its_real_duration():
    """A two-day visit across the night the clocks go back keeps its local start and end times."""
    debut = datetime(2030, 10, 26, 14, 0, tzinfo=PARIS)
    fin = datetime(2030, 10, 27, 12, 0, tzinfo=PARIS)
    rencontre = RencontreFactory(debut=debut, fin=fin)
    calendar, event = parse_event(ical.rencontre_ics(rencontre, with_video_link=False))
    real_duration = event.decoded("dtend").astimezone(UTC) - event.decoded("dtstart").astimezone(UTC)
    assert real_duration == timedelta(hours=23)
    assert event.decoded("dtend").timetuple()[:5] == (2030, 10, 27, 12, 0)
    [vtimezone] = calendar.walk("VTIMEZONE")
    names = {str(c["tzname"]) for c in vtimezone.walk() if c.name in {"STANDARD", "DAYLIGHT"}}
    assert {"CET", "CEST"} <= names


@pytest.mark.django_db
def test_the_feed_has_one_event_per_meeting_and_follows_rfc_line_rules():
    """A feed of several meetings parses back, with CRLF line endings and lines folded at 75 octets."""
    rencontres = [
        RencontreFactory(resume="Une très longue présentation " * 10, debut=timezone.now() + timedelta(days=d))
        for d in (5, 40, 160)
    ]
    body = ical.calendar_for(rencontres, with_video_link_for={rencontres[0].pk}, name="Mes rencontres")
    calendar = Calendar.from_ical(body)
    assert len(calendar.walk("VEVENT")) == 3
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert body.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert b"\n" not in body.replace(b"\r\n", b"")


@pytest.mark.parametrize(
    ("local", "offset_hours"),
    [
        ((2026, 3, 29, 1, 30), 1),
        ((2026, 3, 29, 3, 30), 2),
        ((2026, 10, 25, 1, 30), 2),
        ((2026, 10, 25, 3, 30), 1),
        ((2045, 7, 14, 10, 0), 2),
        ((2045, 12, 24, 10, 0), 1),
    ],
)
def test_the_calendar_timezone_agrees_with_the_tz_database_beyond_2038(local, offset_hours):
    """The VTIMEZONE sent to calendar apps gives Paris the same offsets as the tz database, also after 2038."""
    [vtimezone] = Calendar.from_ical(ical.calendar_for([])).walk("VTIMEZONE")
    from_ics = vtimezone.to_tz()
    moment = datetime(*local, tzinfo=from_ics)
    assert moment.utcoffset() == timedelta(hours=offset_hours)
    assert datetime(*local, tzinfo=PARIS).utcoffset() == timedelta(hours=offset_hours)
