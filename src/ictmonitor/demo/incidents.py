"""The demo's incident logs: the demo school's handful of incidents, told in full, and a few for
half of the other schools, enough for the `incidents` report to publish figures per kind under
disclosure control (a log kept by a few schools only would be hidden whole). Recorded through
the incident log's service (stamped and audited) a few days after each happened; never a
pupil's name. The same seed gives the same log; a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ictmonitor.demo.users import demo_school
from ictmonitor.incidents.models import Incident, Kind, Severity, Told
from ictmonitor.incidents.services import IncidentInput, record_incident
from ictmonitor.registry.models import Institution

ACTOR = "demo (ictmonitor demo)"
LEVELS = ("basis", "secundair", "volwassenen")
# How often each kind comes up in a school's log (phishing by far the most).
KIND_WEIGHTS: dict[str, int] = {
    Kind.PHISHING: 30, Kind.ACCOUNT_TAKEOVER: 12, Kind.CYBERBULLYING: 20, Kind.SEXTING: 8,
    Kind.DATA_BREACH: 9, Kind.HATE_SPEECH: 6, Kind.RANSOMWARE: 2, Kind.SEXTORTION: 3,
    Kind.GROOMING: 2, Kind.EXTREMISM: 2, Kind.OTHER: 6}
# Who is told, and what is done, per kind (a school tells more people when it is worse).
TOLD: dict[str, list[str]] = {
    Kind.PHISHING: [Told.BOARD], Kind.ACCOUNT_TAKEOVER: [Told.BOARD, Told.DPO],
    Kind.DATA_BREACH: [Told.BOARD, Told.DPO, Told.VTC],
    Kind.RANSOMWARE: [Told.BOARD, Told.DPO, Told.CCB, Told.POLICE, Told.VTC],
    Kind.CYBERBULLYING: [Told.PARENTS], Kind.SEXTING: [Told.PARENTS, Told.HELPLINE_1712],
    Kind.SEXTORTION: [Told.PARENTS, Told.POLICE, Told.HELPLINE_1712],
    Kind.GROOMING: [Told.PARENTS, Told.POLICE, Told.HELPLINE_1712],
    Kind.EXTREMISM: [Told.BOARD, Told.POLICE], Kind.HATE_SPEECH: [Told.PARENTS],
    Kind.OTHER: [Told.BOARD]}
ACTIONS: dict[str, str] = {
    Kind.PHISHING: "Valse mail over een 'verlopen wachtwoord' bij het personeel; de links "
                   "geblokkeerd, de mail uit alle postvakken verwijderd, iedereen gewaarschuwd.",
    Kind.ACCOUNT_TAKEOVER: "Account van een leerkracht gekaapt na phishing; wachtwoord "
                           "gewijzigd, sessies afgemeld, MFA aangezet, verzonden mails nagekeken.",
    Kind.DATA_BREACH: "Klaslijst met punten naar de verkeerde ouders gemaild; ontvangers "
                      "gevraagd te wissen, DPO ingelicht, melding bij de VTC gedaan.",
    Kind.RANSOMWARE: "Versleutelde bestanden op de administratieve server; netwerk losgekoppeld, "
                     "CCB en politie gebeld, hersteld uit de offline back-up.",
    Kind.CYBERBULLYING: "Kwetsende berichten in een klasgroep op sociale media; gesprekken "
                        "met de betrokken leerlingen en hun ouders, herstelgesprek in de klas.",
    Kind.SEXTING: "Naaktfoto van een leerling van het derde jaar doorgestuurd; niet verder "
                  "verspreid, ouders ingelicht, foto laten verwijderen via de platforms.",
    Kind.SEXTORTION: "Leerling afgeperst met een beeld; niets betaald, bewijs bewaard, politie "
                     "en ouders ingelicht, begeleiding door het CLB.",
    Kind.GROOMING: "Volwassene benaderde een leerling via een game-chat; contact geblokkeerd, "
                   "gesprekken bewaard, politie en ouders ingelicht.",
    Kind.EXTREMISM: "Extremistische filmpjes gedeeld in een klasgroep; gesprek met de "
                    "leerlingen, contact met de lokale politie en het netwerk radicalisering.",
    Kind.HATE_SPEECH: "Racistische opmerkingen onder een foto van de schoolsite; reacties "
                      "verwijderd, gesprek met de betrokkenen, klasgesprek over haatspraak.",
    Kind.OTHER: "Onbekende usb-stick gevonden in het leraarslokaal; niet gebruikt, "
                "afgegeven aan de ICT-partner.",
}
LESSONS: dict[str, str] = {
    Kind.PHISHING: "Jaarlijks een phishingoefening voor het personeel.",
    Kind.ACCOUNT_TAKEOVER: "MFA voor alle personeelsaccounts, niet alleen voor beheerders.",
    Kind.DATA_BREACH: "Lijsten met persoonsgegevens alleen via het platform delen.",
    Kind.RANSOMWARE: "De hersteltest van de back-up elk trimester plannen.",
    Kind.CYBERBULLYING: "Afspraken over klasgroepen opnemen in het schoolreglement.",
    Kind.SEXTING: "Sneller de vertrouwensleerkracht inschakelen.",
}
SEVERITY: dict[str, str] = {Kind.RANSOMWARE: Severity.HIGH, Kind.SEXTORTION: Severity.HIGH,
            Kind.GROOMING: Severity.HIGH, Kind.DATA_BREACH: Severity.MEDIUM,
            Kind.SEXTING: Severity.MEDIUM, Kind.ACCOUNT_TAKEOVER: Severity.MEDIUM}
# The demo school's own log: (days ago, kind), told in full.
DEMO_SCHOOL_LOG = ((400, Kind.PHISHING), (260, Kind.CYBERBULLYING), (150, Kind.DATA_BREACH),
                   (60, Kind.ACCOUNT_TAKEOVER), (12, Kind.SEXTING))
SHARE = 0.5  # of the schools, those that keep a log here
MOST = 2500  # ... but no more: a world-sized demo stays quick to load
MOST_PER_SCHOOL = 5


def _moment(day: date, rng: random.Random) -> datetime:
    """A working-hours moment on a day, in Brussels."""
    return datetime.combine(day, time(8 + rng.randrange(9), rng.randrange(60)),
                            tzinfo=timezone.get_current_timezone())


def _record(school: Institution, kind: str, occurred: date, rng: random.Random,
            today: date) -> None:
    """Record one incident a few days after it happened (never after today)."""
    recorded = min(today, occurred + timedelta(days=rng.randrange(0, 8)))
    given = IncidentInput(
        occurred_on=occurred, kind=kind,
        severity=SEVERITY.get(kind, rng.choice((Severity.LOW, Severity.MEDIUM))),
        told=[str(code) for code in TOLD[kind]], actions=ACTIONS[kind],
        lessons=LESSONS.get(kind, ""))
    record_incident(school, given, by=ACTOR, now=_moment(recorded, rng))


@transaction.atomic
def load_incidents(*, seed: int) -> str:
    """The demo's incident logs; nothing if made before. One line for the demo's output."""
    if Incident.objects.filter(changed_by=ACTOR).exists():
        return "Incident logs: made before"
    rng = random.Random(seed * 1_000_003 + 14)
    today = timezone.localdate()
    made = 0
    school = demo_school()
    if school is not None:
        for days, kind in DEMO_SCHOOL_LOG:
            _record(school, kind, today - timedelta(days=days), rng, today)
            made += 1
    others = [other for other in Institution.objects.filter(level__in=LEVELS).order_by("number")
              if other != school]
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    # From 1 January of last year: each year's counts are large enough to be published.
    first = date(today.year - 1, 1, 1)
    span = (today - first).days + 1
    for other in rng.sample(others, min(MOST, round(len(others) * SHARE))):
        for _n in range(rng.randrange(1, MOST_PER_SCHOOL + 1)):
            picked = rng.choices(kinds, weights)[0]
            _record(other, picked, first + timedelta(days=rng.randrange(span)), rng, today)
            made += 1
    return f"Incident logs: {made:,} incidents recorded"
