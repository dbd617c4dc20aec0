"""iCalendar (RFC 5545) output: one meeting, or a member's feed of the meetings they attend.

Times are written in Europe/Paris with a VTIMEZONE, so that calendar apps place a meeting at
the right hour on either side of a daylight-saving change. Every event carries an alarm and a
link back to the meeting page; a cancelled meeting is ``STATUS:CANCELLED``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from reseau_acv.core.markdown import markdown_to_text

from .models import Rencontre

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//Villes au Carré//Réseau ACV Centre-Val de Loire//FR"
ALARM_BEFORE = timedelta(hours=1)


def paris_vtimezone() -> Timezone:
    """Europe/Paris as the EU rule has stood since 1996 (last Sunday of March 02:00 → 03:00,
    last Sunday of October 03:00 → 02:00), with RRULEs: compact, and valid beyond 2038."""
    tz = Timezone()
    tz.add("tzid", "Europe/Paris")
    tz.add("x-lic-location", "Europe/Paris")
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("dtstart", datetime(1996, 3, 31, 2, 0))  # noqa: DTZ001 (VTIMEZONE DTSTART is local time by RFC 5545)
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("dtstart", datetime(1996, 10, 27, 3, 0))  # noqa: DTZ001 (VTIMEZONE DTSTART is local time by RFC 5545)
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def _uid(rencontre: Rencontre) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"rencontre-{rencontre.pk}@{host}"


def _event(rencontre: Rencontre, *, with_video_link: bool) -> Event:
    url = settings.SITE_URL + rencontre.get_absolute_url()
    event = Event()
    event.add("uid", _uid(rencontre))
    event.add("dtstamp", timezone.now())
    event.add("created", rencontre.cree_le)
    event.add("last-modified", rencontre.modifie_le)
    event.add("sequence", rencontre.version)
    event.add("summary", rencontre.titre)
    event.add("dtstart", rencontre.debut.astimezone(PARIS))
    event.add("dtend", rencontre.fin.astimezone(PARIS))
    event.add("url", url)
    description = [markdown_to_text(rencontre.resume)] if rencontre.resume else []
    location = rencontre.lieu
    if with_video_link and rencontre.has_video:
        description.append(f"Visioconférence : {rencontre.lien_visio}")
        if not location:
            location = rencontre.lien_visio
    description.append(f"Page de la rencontre : {url}")
    event.add("description", "\n\n".join(description))
    if location:
        event.add("location", location)
    if rencontre.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    event.add("categories", [rencontre.get_type_display()])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Rappel : {rencontre.titre}")
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    return event


def calendar_for(
    rencontres: Iterable[Rencontre], *, with_video_link_for: set[int] | None = None, name: str = ""
) -> bytes:
    """An iCalendar document with one event per meeting.

    ``with_video_link_for`` is the set of meeting ids whose video link the reader may see
    (those they are registered for).
    """
    with_video_link_for = with_video_link_for or set()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    cal.add_component(paris_vtimezone())
    for rencontre in rencontres:
        cal.add_component(_event(rencontre, with_video_link=rencontre.pk in with_video_link_for))
    return cal.to_ical()


def rencontre_ics(rencontre: Rencontre, *, with_video_link: bool) -> bytes:
    return calendar_for([rencontre], with_video_link_for={rencontre.pk} if with_video_link else set())
