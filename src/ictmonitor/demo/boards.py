"""Names for the demo's boards. The Flemish school list gives a board's number only; the demo
names each after its network and the place of its first school, as such boards are called
("Scholengroep Gent", "Gemeentebestuur Brugge", "vzw Katholiek Onderwijs Hasselt"), the same
for the same data every time."""

from __future__ import annotations

from ictmonitor.registry.models import Board, Location
from ictmonitor.registry.services import name_boards

# A network's code → how its boards are called, before the place.
KINDS = {
    "gemeenschapsonderwijs": "Scholengroep",
    "officieel-gesubsidieerd-onderwijs": "Gemeentebestuur",
    "vrij-gesubsidieerd-onderwijs": "vzw Katholiek Onderwijs",
}
OTHER = "Schoolbestuur"
ORDINALS = ("", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X")


def board_names() -> dict[str, str]:
    """A name for every board without one: its network's kind and its first school's place,
    made unique with II, III, … (then the number)."""
    unnamed = set(Board.objects.filter(name="").values_list("code", flat=True))
    taken = set(Board.objects.exclude(name="").values_list("name", flat=True))
    first: dict[str, tuple[str, str]] = {}
    mains = (Location.objects.filter(is_main=True, institution__board__code__in=unnamed)
             .order_by("institution__number")
             .values_list("institution__board__code", "institution__network__code",
                          "municipality__name_nl"))
    for code, network, place in mains:
        first.setdefault(code, (network or "", place or ""))
    names = {}
    for code in sorted(unnamed):
        network, place = first.get(code, ("", ""))
        base = f"{KINDS.get(network, OTHER)} {place}".strip() if place else f"{OTHER} {code}"
        name = next((base + suffix for suffix in ORDINALS if base + suffix not in taken),
                    f"{base} ({code})")
        taken.add(name)
        names[code] = name
    return names


def name_demo_boards(actor: str) -> str:
    """Name the unnamed boards; a line saying how many."""
    named = name_boards(board_names(), by=actor)
    return f"Boards named: {named:,}"
