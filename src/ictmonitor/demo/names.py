"""Made-up Dutch school and street names, built from parts so that no real school is named.

tests/demo checks that no name made at full scale is on the department's published list.
"""

from __future__ import annotations

import random
import re

from ictmonitor.demo.tables import GO, OGO, VGO

MOTTOS = (
    "De Regenboog", "De Zonnebloem", "'t Klavertje", "De Vlinder", "De Boomhut", "Het Kompas",
    "De Wegwijzer", "De Horizon", "De Sleutel", "De Kleine Prins", "De Appelboom", "De Kiem",
    "Het Anker", "De Linde", "De Notelaar", "Het Mozaïek", "De Zandloper", "De Duizendpoot",
    "Het Zonnetje", "De Tuimelaar", "De Schatkist", "De Vuurtoren", "De Windroos", "Het Vlot",
    "De Sterrenwacht", "De Kastanjelaar", "De Knotwilg", "De Bijenkorf", "Het Lichtpunt",
    "De Springplank", "Het Palet", "De Parel", "De Morgenster", "De Kameleon", "De Uil",
    "Het Kasteeltje", "De Beverburcht", "De Toverberg", "De Speelvogel", "Het Wilgenhof",
    "De Vlieger", "Het Boompje", "De Ooievaar", "De Zeppelin", "De Waaier", "Het Leerbos",
)
CAMPUSES = (
    "Ter Beuken", "Hof ter Linden", "Den Akker", "Ter Heide", "Molenveld", "Kouterhof",
    "Ter Meersen", "Bergenhof", "Ter Eiken", "Lindenhof", "Den Hoek", "Ter Bruggen",
    "Vijverhof", "Ter Dreve", "Kasteelpark", "Broekveld", "Ter Leie", "Hoogveld", "Den Berg",
    "Ter Kapelle", "Zavelhof", "Ter Velden", "Groenhove", "Elzenhof", "Ter Poorten",
)
SAINTS = (
    "Jozef", "Jan", "Pieter", "Maarten", "Lutgardis", "Vincentius", "Theresia", "Ursula",
    "Amandus", "Franciscus", "Victor", "Godelieve", "Aloysius", "Lodewijk", "Rita", "Michiel",
    "Barbara", "Gertrudis", "Paulus", "Bavo", "Rembert", "Guido", "Norbertus", "Dimpna",
    "Catharina", "Anna", "Hubertus", "Lambertus", "Servaas", "Donatus", "Leonardus", "Rochus",
)
FIELDS = ("Theologie", "Bedrijfskunde", "Zeevaart", "Kunst en Design", "Gezondheidszorg",
          "Toegepaste Wetenschappen", "Tropische Geneeskunde", "Management")
STREET_STEMS = (
    "Kerk", "School", "Dorps", "Molen", "Stations", "Kapel", "Linden", "Beuken", "Eiken",
    "Berken", "Kastanje", "Populieren", "Wilgen", "Rozen", "Vijver", "Beek", "Veld", "Heide",
    "Bos", "Akker", "Kouter", "Meers", "Hoeve", "Kasteel", "Abdij", "Klooster", "Pastorij",
    "Markt", "Brug", "Sluis", "Hof", "Nieuw", "Zand", "Leem", "Hazel", "Elzen",
    "Kruis", "Water", "Berg",
)
STREET_KINDS = ("straat",) * 6 + ("laan", "weg", "weg", "plein", "dreef", "steenweg", "lei",
                                  "pad", "veld", "hof")
PERSONS = ("Pastoor Claes", "Burgemeester Peeters", "Koning Albert", "Koningin Astrid",
           "Guido Gezelle", "Hendrik Conscience", "Peter Benoit", "Pater Damiaan",
           "Dokter Janssens", "Meester Maes", "Juffrouw Mertens", "Emiel Verhaeren")

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

# The start of a name, by network: free (vrij), official (officieel), community (GO!).
BASIC_KIND = {VGO: ("Vrije Basisschool", "VBS"), OGO: ("Gemeentelijke Basisschool",
                                                       "Stedelijke Basisschool"),
              GO: ("GO! basisschool",)}
NURSERY_KIND = {VGO: "Vrije Kleuterschool", OGO: "Gemeentelijke Kleuterschool",
                GO: "GO! kleuterschool"}
PRIMARY_KIND = {VGO: "Vrije Lagere School", OGO: "Gemeentelijke Lagere School",
                GO: "GO! lagere school"}
SPECIAL_KIND = {VGO: "Vrije school voor buitengewoon", OGO: "Gemeentelijke school voor "
                "buitengewoon", GO: "GO! school voor buitengewoon"}


def pick(rng: random.Random, items: tuple[str, ...]) -> str:
    """One of the items; faster than random.choice, which matters at scale 500."""
    return items[int(rng.random() * len(items))]


def _saint(rng: random.Random, compound: bool = False) -> str:
    name = pick(rng, SAINTS)
    if compound and name[-1] not in "aos":
        name += "s"
    return f"Sint-{name}"


def basic_name(rng: random.Random, kind: str, net: str, place: str) -> str:
    """A name for a basisschool (or autonomous nursery or primary school, or a special one)."""
    motto = pick(rng, MOTTOS)
    if "buitengewoon" in kind:
        if rng.random() < 0.3:
            return f"BuBaO {motto} {place}"
        stage = "basisonderwijs" if kind.startswith("Basis") else (
            "lager onderwijs" if "lagere" in kind else "kleuteronderwijs")
        return f"{SPECIAL_KIND.get(net, SPECIAL_KIND[VGO])} {stage} {motto} {place}"
    if kind == "Autonome kleuterschool":
        return f"{NURSERY_KIND[net]} {motto} {place}"
    if kind == "Autonome lagere school":
        return f"{PRIMARY_KIND[net]} {motto} {place}"
    if net == VGO and rng.random() < 0.35:
        return f"{_saint(rng, compound=True)}school {place}"
    return f"{pick(rng, BASIC_KIND[net])} {motto} {place}"


def secondary_name(rng: random.Random, kind: str, net: str, place: str) -> str:
    """A name for a secondary school or a centre for part-time education."""
    campus = pick(rng, CAMPUSES)
    if "buitengewoon" in kind:
        if rng.random() < 0.3:
            return f"BuSO {pick(rng, MOTTOS)} {place}"
        return f"{SPECIAL_KIND.get(net, SPECIAL_KIND[VGO])} secundair onderwijs " \
               f"{pick(rng, MOTTOS)} {place}"
    if kind == "Centrum voor deeltijds onderwijs":
        return f"Centrum voor Deeltijds Onderwijs {campus} {place}"
    if kind == "Centrum voor deeltijdse vorming":
        return f"Centrum voor Deeltijdse Vorming {campus} {place}"
    if net == GO:
        kind_name = pick(rng, ("GO! Atheneum", "GO! Technisch Atheneum", "GO! Middenschool",
                                "GO! Campus"))
        return f"{kind_name} {campus} {place}"
    if net == OGO:
        kind_name = pick(rng, ("Stedelijk Lyceum", "Gemeentelijk Technisch Instituut",
                                "Provinciaal Instituut voor Techniek"))
        return f"{kind_name} {campus} {place}"
    template = rng.random()
    if template < 0.6:
        school = pick(rng, ("college", "instituut", "lyceum"))
        return f"{_saint(rng, compound=True)}{school} {campus} {place}"
    if template < 0.8:
        return f"Vrije Middenschool {_saint(rng)} {place}"
    return f"Technisch Instituut {_saint(rng)} {campus} {place}"


def adult_name(rng: random.Random, kind: str, net: str, place: str, province: str) -> str:
    """A name for an adult education centre (CVO) or a centre for basic education."""
    campus = pick(rng, CAMPUSES)
    if kind == "Centrum voor Basiseducatie":
        return f"Centrum voor Basiseducatie {campus} {province}"
    prefix = {GO: "GO! CVO", OGO: "Stedelijk CVO"}.get(net, "CVO")
    return f"{prefix} {campus} {place}"


def arts_name(rng: random.Random, net: str, place: str) -> str:
    """A name for an academy of part-time arts education (DKO)."""
    if net == GO:
        return f"GO! Academie {pick(rng, CAMPUSES)} {place}"
    kind = pick(rng, ("Academie voor Muziek, Woord en Dans", "Kunstacademie",
                       "Academie voor Beeldende Kunsten", "Academie voor Muziek en Woord"))
    owner = "Vrije" if net == VGO else pick(rng, ("Gemeentelijke", "Stedelijke"))
    return f"{owner} {kind} {pick(rng, CAMPUSES)} {place}"


def higher_name(rng: random.Random, kind: str, place: str) -> str:
    """A name for a university, university college or registered institution."""
    campus = pick(rng, CAMPUSES)
    if kind == "Universiteit":
        return f"Universitair Instituut {campus} {place}"
    if kind == "Hogeschool":
        return f"Hogeschool {campus} {place}"
    if kind == "Hoger kunstonderwijs":
        return f"Conservatorium {campus} {place}"
    return f"Instituut voor {pick(rng, FIELDS)} {campus} {place}"


def institution_name(rng: random.Random, level: str, kind: str, net: str, place: str,
                     province: str) -> str:
    """A plausible name for an institution of a level, type and network in a municipality."""
    if level == "BaO":
        return basic_name(rng, kind, net, place)
    if level == "SO":
        return secondary_name(rng, kind, net, place)
    if level == "VWO":
        return adult_name(rng, kind, net, place, province)
    if level == "DKO":
        return arts_name(rng, net, place)
    return higher_name(rng, kind, place)


def street(rng: random.Random) -> str:
    """A plausible Flemish street name."""
    if rng.random() < 0.12:
        return f"{pick(rng, PERSONS)}{pick(rng, ('straat', 'laan', 'plein'))}"
    name = f"{pick(rng, STREET_STEMS)}{pick(rng, STREET_KINDS)}"
    return f"Oude {name}" if rng.random() < 0.06 else name


def website(name: str) -> str:
    """A website under the reserved .example domain, so no real site is linked to demo data."""
    words = name.split()[-3:]
    return f"www.{_NOT_ALNUM.sub('', ''.join(words).lower())}.example"
