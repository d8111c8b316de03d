"""Building Flemish school-list files for tests, in the published 36-column format."""

from __future__ import annotations

from pathlib import Path

from ictmonitor.demo.generator import SCHOOL_COLUMNS

HEADER = SCHOOL_COLUMNS  # the published 36 columns, in their published order


def row(**values: str) -> dict[str, str]:
    """A plausible basisschool row in Antwerpen; override any column by name."""
    base = {
        "schoolnummer": "1001", "intern_vplnummer": "1", "net": "Gemeenschapsonderwijs",
        "naam": "GO! basisschool De Test", "hoofdzetel": "True",
        "adres": "Teststraat 1, 2000 Antwerpen", "straat": "Teststraat", "huisnummer": "1",
        "postcode": "2000", "gemeente": "Antwerpen", "niscode": "11002", "provinciecode": "1",
        "provincie": "Antwerpen", "lx": "152000", "ly": "212000",
        "kbo-nummer": '"KBO  0267.377.629"', "telefoon": "03 123 45 67",
        "e-mail": "directie@example.org", "beheerder(s)": "Jan Janssens",
        "soort instelling": "Onderwijsinstelling", "onderwijsniveau": "BaO",
        "instellingstype": "Basisschool", "begindatum": "01/01/0001", "einddatum": "31/12/4444",
        "status erkenning": "S", "clb": "114331", "bestuur": "113878",
        "scholengemeenschap": "122069", "taalstelsel": "Nederlandstalig",
        "ingerichte hoofdstructuren": "111-211",
    }
    base.update(values)
    return base


def write(path: Path, rows: list[dict[str, str]], *, delimiter: str = ",",
          line_end: str = "\n", bom: bool = False, header: list[str] | None = None) -> Path:
    """Write rows as the department would (quoting cells holding the delimiter)."""
    columns = header or HEADER

    def cell(value: str) -> str:
        if delimiter in value and not value.startswith('"'):
            return f'"{value}"'
        return value

    lines = [delimiter.join(columns)]
    lines += [delimiter.join(cell(r.get(c, "")) for c in columns) for r in rows]
    data = (line_end.join(lines) + line_end).encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path
