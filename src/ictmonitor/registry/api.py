"""The registry's read-only API: schools (institutions) and their locations.

Every operation shows only what `visible_institutions` lets the caller see; a school the caller
may not see answers 404, exactly like one that does not exist.
"""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from ictmonitor.accounts.access import access_institution, may_see_pupils
from ictmonitor.api.auth import auth_user
from ictmonitor.api.common import CODE, NO_NUL, Pagination, errors
from ictmonitor.registry.models import Institution, Level, Location
from ictmonitor.registry.selectors import find_institutions, locations_of, pupil_counts

router = Router(tags=["schools"])

NUMBER = Path(
    ...,
    min_length=1,
    max_length=20,
    pattern=NO_NUL,
    description="The institution number (instellingsnummer, BRIN).",
)


class SchoolFilters(Schema):
    """Filters of the school list; all optional, combined with AND."""

    q: str | None = Field(
        None,
        max_length=100,
        pattern=NO_NUL,
        description="Name contains this text (any case), or the institution number starts "
        "with it. Empty means no filter.",
    )
    level: Level | None = Field(None, description="Education level.")
    province: str | None = Field(
        None, max_length=40, pattern=CODE, description="Province code, e.g. `antwerpen`."
    )
    special: bool | None = Field(None, description="Special education (buitengewoon) or not.")


class SchoolOut(Schema):
    """A school (institution) as the list shows it."""

    number: str = Field(description="Institution number (instellingsnummer, BRIN).")
    name: str
    level: str = Field(description=f"One of: {', '.join(Level.values)}.")
    special: bool = Field(description="Special education (buitengewoon onderwijs).")
    province: str | None = Field(description="Province code of the main location.")
    network: str | None = Field(description="Education network code.")
    board: str | None = Field(description="School board number.")
    school_group: str | None = Field(description="School group (scholengemeenschap) number.")
    country: str = Field(description="BE or NL.")

    @staticmethod
    def resolve_province(obj: Institution) -> str | None:
        """The province's code."""
        return obj.province_id

    @staticmethod
    def resolve_network(obj: Institution) -> str | None:
        """The network's code."""
        return obj.network.code if obj.network else None

    @staticmethod
    def resolve_board(obj: Institution) -> str | None:
        """The board's code."""
        return obj.board.code if obj.board else None

    @staticmethod
    def resolve_school_group(obj: Institution) -> str | None:
        """The school group's code."""
        return obj.school_group.code if obj.school_group else None


class LocationOut(Schema):
    """A location (vestigingsplaats) of a school, with its address."""

    number: str = Field(description="Location number, unique within the institution.")
    name: str
    is_main: bool = Field(description="The main location (hoofdzetel).")
    street: str
    house_number: str
    box: str
    postcode: str
    place: str
    municipality: str | None = Field(description="REFNIS (BE) or CBS (NL) code.")
    province: str | None = Field(description="Province code.")
    lambert_x: int | None = Field(description="Lambert 72 x coordinate, metres.")
    lambert_y: int | None = Field(description="Lambert 72 y coordinate, metres.")
    structures: str = Field(description="Education structures offered here.")
    starts_on: date | None
    ends_on: date | None

    @staticmethod
    def resolve_municipality(obj: Location) -> str | None:
        """The municipality's code."""
        return obj.municipality_id

    @staticmethod
    def resolve_province(obj: Location) -> str | None:
        """The province's code."""
        return obj.province_id


class PupilCount(Schema):
    """Pupils of one school in one school year at one level, summed over its locations."""

    school_year: str = Field(description="e.g. 2024-2025.")
    level: str
    pupils: int = Field(ge=0)


class SchoolDetailOut(SchoolOut):
    """One school with its locations and, for roles that may see them, its pupil counts."""

    institution_type: str
    starts_on: date | None
    ends_on: date | None
    locations: list[LocationOut]
    pupils: list[PupilCount] | None = Field(
        None,
        description="Pupils per school year and level. Left out when your role may not see "
        "pupil counts.",
    )


def school_list(user: object, filters: SchoolFilters) -> QuerySet[Institution]:
    """The schools the user may see that match the filters, by name: the finder's search."""
    return find_institutions(user, q=filters.q or "", level=filters.level or "",
                             province=filters.province or "", special=filters.special)


@router.get(
    "/schools",
    response={200: list[SchoolOut], **errors()},
    summary="List schools",
    operation_id="list_schools",
)
@paginate(Pagination)
def list_schools(request: HttpRequest, filters: Query[SchoolFilters]) -> QuerySet[Institution]:
    """The schools you may see, filtered, by name (then number), a page at a time."""
    return school_list(auth_user(request), filters)


@router.get(
    "/schools/{number}",
    response={200: SchoolDetailOut, **errors(404)},
    summary="One school",
    operation_id="get_school",
    exclude_unset=True,
)
def get_school(request: HttpRequest, number: str = NUMBER) -> Institution:
    """One school with its locations, and its pupil counts if your role may see them."""
    user = auth_user(request)
    institution = access_institution(user, number)
    if may_see_pupils(user):
        institution.pupils = pupil_counts(institution)  # type: ignore[attr-defined]
    return institution


@router.get(
    "/schools/{number}/locations",
    response={200: list[LocationOut], **errors(404)},
    summary="Locations of one school",
    operation_id="list_school_locations",
)
def list_school_locations(request: HttpRequest, number: str = NUMBER) -> QuerySet[Location]:
    """The locations (vestigingsplaatsen) of one school you may see."""
    return locations_of(access_institution(auth_user(request), number))
