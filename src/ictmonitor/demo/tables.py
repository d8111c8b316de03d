"""The shape of the Flemish school landscape the demo dataset copies: counts, mixes, structures.

Every count here was derived once from /work/shared/data/flanders-school-locations.csv (the
department's published list of 4,097 institutions, main locations only), by counting
onderwijsniveau × provinciecode and instellingstype × net per level. Only these small tables are
kept: the generator never reads that file and never uses its school names.
"""

from __future__ import annotations

GO = "Gemeenschapsonderwijs"
OGO = "Officieel gesubsidieerd onderwijs"
VGO = "Vrij gesubsidieerd onderwijs"
OTHER = "Andere"

# The department's provinciecode → its provincie name, and the Statbel province it stands for.
PROVINCES: dict[str, tuple[str, str]] = {
    "1": ("Antwerpen", "10000"),
    "3": ("West-Vlaanderen", "30000"),
    "4": ("Oost-Vlaanderen", "40000"),
    "5": ("Henegouwen", "50000"),
    "7": ("Limburg", "70000"),
    "B": ("Brussels Hoofdstedelijk Gewest", "04000"),
    "V": ("Vlaams-Brabant", "20001"),
}
# Dutch-language schools in Hainaut lie along the language border; only there.
HAINAUT_MUNICIPALITIES = ("57097", "57096", "51067")  # Komen-Waasten, Moeskroen, Edingen

# Institutions per onderwijsniveau and provinciecode, as published.
LEVEL_PROVINCE_COUNTS: dict[str, dict[str, int]] = {
    "BaO": {"1": 705, "3": 488, "4": 600, "5": 1, "7": 351, "B": 148, "V": 410},
    "SO": {"1": 303, "3": 222, "4": 248, "7": 165, "B": 50, "V": 153},
    "VWO": {"1": 14, "3": 8, "4": 11, "7": 7, "B": 4, "V": 4},
    "DKO": {"1": 51, "3": 27, "4": 33, "7": 20, "B": 11, "V": 23},
    "HO": {"1": 10, "3": 4, "4": 7, "7": 4, "B": 10, "V": 5},
}
# The order levels are numbered in, as in the published list (basisscholen have the lowest).
LEVEL_ORDER = ("BaO", "SO", "VWO", "DKO", "HO")

# (instellingstype, net, institutions) per level, as published. The handful of rows with net
# "Andere" or empty outside part-time training are counted with the free network, and the
# five Syntra centres with the centres for part-time training, whose network is "Andere".
TYPES: dict[str, list[tuple[str, str, int]]] = {
    "BaO": [
        ("Basisschool", VGO, 1280), ("Basisschool", OGO, 489), ("Basisschool", GO, 426),
        ("Autonome kleuterschool", VGO, 129), ("Autonome kleuterschool", OGO, 25),
        ("Autonome kleuterschool", GO, 3),
        ("Autonome lagere school", VGO, 120), ("Autonome lagere school", OGO, 31),
        ("Autonome lagere school", GO, 1),
        ("Basisschool voor buitengewoon onderwijs", VGO, 82),
        ("Basisschool voor buitengewoon onderwijs", OGO, 22),
        ("Basisschool voor buitengewoon onderwijs", GO, 31),
        ("Autonome lagere school voor buitengewoon onderwijs", VGO, 48),
        ("Autonome lagere school voor buitengewoon onderwijs", OGO, 11),
        ("Autonome lagere school voor buitengewoon onderwijs", GO, 4),
        ("Autonome kleuterschool voor buitengewoon onderwijs", VGO, 1),
    ],
    "SO": [
        ("School voor voltijds gewoon secundair onderwijs", VGO, 663),
        ("School voor voltijds gewoon secundair onderwijs", OGO, 58),
        ("School voor voltijds gewoon secundair onderwijs", GO, 198),
        ("School voor buitengewoon secundair onderwijs", VGO, 93),
        ("School voor buitengewoon secundair onderwijs", OGO, 15),
        ("School voor buitengewoon secundair onderwijs", GO, 30),
        ("School voor voltijds gewoon secundair onderwijs en deeltijds beroepsonderwijs",
         VGO, 21),
        ("School voor voltijds gewoon secundair onderwijs en deeltijds beroepsonderwijs",
         OGO, 6),
        ("School voor voltijds gewoon secundair onderwijs en deeltijds beroepsonderwijs",
         GO, 16),
        ("Centrum voor deeltijds onderwijs", VGO, 4), ("Centrum voor deeltijds onderwijs", OGO, 1),
        ("Centrum voor deeltijds onderwijs", GO, 1),
        ("Centrum voor deeltijdse vorming", OTHER, 35),
    ],
    "VWO": [
        ("Centrum voor Volwassenenonderwijs", VGO, 13),
        ("Centrum voor Volwassenenonderwijs", OGO, 11),
        ("Centrum voor Volwassenenonderwijs", GO, 11),
        ("Centrum voor Basiseducatie", VGO, 13),
    ],
    "DKO": [
        ("Instelling voor deeltijds kunstonderwijs", VGO, 6),
        ("Instelling voor deeltijds kunstonderwijs", OGO, 144),
        ("Instelling voor deeltijds kunstonderwijs", GO, 15),
    ],
    "HO": [
        ("Hogeschool", "", 16), ("Niet-ambtshalve geregistreerde instelling", "", 8),
        ("Universiteit", "", 6), ("Ambtshalve geregistreerde instelling", "", 5),
        ("Hoger kunstonderwijs", "", 5),
    ],
}

# The structures (ingerichte hoofdstructuren) each type offers at its locations.
STRUCTURES: dict[str, tuple[str, ...]] = {
    "Basisschool": ("111", "211"),
    "Autonome kleuterschool": ("111",),
    "Autonome lagere school": ("211",),
    "Basisschool voor buitengewoon onderwijs": ("121", "221"),
    "Autonome lagere school voor buitengewoon onderwijs": ("221",),
    "Autonome kleuterschool voor buitengewoon onderwijs": ("121",),
    "School voor voltijds gewoon secundair onderwijs": ("311",),
    "School voor buitengewoon secundair onderwijs": ("321",),
    "School voor voltijds gewoon secundair onderwijs en deeltijds beroepsonderwijs":
        ("311", "312"),
    "Centrum voor deeltijds onderwijs": ("312",),
    "Centrum voor deeltijdse vorming": ("314",),
    "Centrum voor Volwassenenonderwijs": ("317", "417"),
    "Centrum voor Basiseducatie": ("618",),
    "Instelling voor deeltijds kunstonderwijs": ("316",),
    "Hogeschool": ("411",),
    "Universiteit": ("511",),
}
# The pupil-count level (contracts/enrolments.md) a structure's pupils are counted in.
NIVEAU = {
    "111": "kleuter", "121": "kleuter", "211": "lager", "221": "lager",
    "311": "secundair", "312": "secundair", "314": "secundair", "321": "secundair",
    "317": "volwassenen", "417": "volwassenen", "618": "volwassenen",
    "316": "deeltijds-kunst",
}
SCHOOL_YEARS = ("2023-2024", "2024-2025")

# How many locations an institution has: (1, 2, 3, 4) weights per level.
LOCATION_WEIGHTS: dict[str, tuple[int, ...]] = {
    "BaO": (70, 18, 8, 4), "SO": (65, 20, 10, 5), "VWO": (25, 25, 25, 25),
    "DKO": (30, 30, 20, 20), "HO": (50, 30, 20, 0),
}

# Pupils at one location for one niveau: (low, high, mode) at a main location and at another.
# At scale 1 they add up to the published proportions: about 0.75 million pupils in nursery and
# primary education and 0.45 million in secondary (Flemish education statistics, 2023-2024).
PUPILS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "kleuter": ((26, 190, 78), (7, 78, 30)),
    "lager": ((50, 353, 143), (10, 134, 46)),
    "kleuter-buitengewoon": ((3, 34, 10), (2, 17, 7)),
    "lager-buitengewoon": ((21, 187, 72), (9, 77, 30)),
    "secundair": ((80, 795, 292), (21, 318, 106)),
    "secundair-buitengewoon": ((21, 212, 80), (8, 80, 32)),
    "secundair-deeltijds": ((27, 265, 85), (8, 80, 27)),
    "volwassenen": ((500, 8000, 2000), (50, 1500, 300)),
    "deeltijds-kunst": ((300, 3000, 900), (30, 500, 150)),
}
# Share of (location, niveau) counts that are tiny: 1 to 9 pupils.
SMALL_SHARE = 0.03
# Share of rows whose provinciecode and provincie are left empty (the importer derives them).
NO_PROVINCE_SHARE = 0.02

# Average institutions per board, per school group and per guidance centre (clb), by network:
# chosen so that a full-scale dataset has about 900 boards, 440 school groups and 60 centres.
BOARD_SIZE = {GO: 16, OGO: 2.6, VGO: 3.9, OTHER: 3.0}
GROUP_SIZE = 8.7
CLB_SIZE = 72.0
GROUP_SHARE = {"BaO": 0.987, "SO": 0.924}
CLB_SHARE = {"BaO": 0.997, "SO": 0.97}
