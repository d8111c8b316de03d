"""The school registry: institutions, their locations, boards, networks, places and pupils."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.models import Recorded


class Country(models.TextChoices):
    BELGIUM = "BE", _("Belgium")
    NETHERLANDS = "NL", _("Netherlands")


class Level(models.TextChoices):
    """Education levels, as reports name them."""

    BASIS = "basis", _("primary (basis)")
    SECUNDAIR = "secundair", _("secondary (secundair)")
    VOLWASSENEN = "volwassenen", _("adult education (volwassenen)")
    DEELTIJDS_KUNST = "deeltijds-kunst", _("part-time arts (deeltijds kunst)")
    HOGER = "hoger", _("higher education (hoger)")


class EnrolmentLevel(models.TextChoices):
    """The levels pupil counts are given in."""

    KLEUTER = "kleuter", _("nursery (kleuter)")
    LAGER = "lager", _("primary (lager)")
    SECUNDAIR = "secundair", _("secondary (secundair)")
    VOLWASSENEN = "volwassenen", _("adult (volwassenen)")
    DEELTIJDS_KUNST = "deeltijds-kunst", _("part-time arts (deeltijds kunst)")


class Province(models.Model):
    """A province (or the Brussels region), by its report code: `antwerpen`, `noord-brabant`."""

    code = models.SlugField(primary_key=True, max_length=40)
    name_nl = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    country = models.CharField(max_length=2, choices=Country.choices)
    refnis = models.CharField(max_length=5, blank=True)

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("province")

    def __str__(self) -> str:
        return self.name_nl


class Municipality(models.Model):
    """A municipality by REFNIS code (BE) or CBS code (NL), with the dates it existed."""

    code = models.CharField(primary_key=True, max_length=10)
    name_nl = models.CharField(max_length=100)
    name_fr = models.CharField(max_length=100, blank=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name_nl} ({self.code})"


class Network(Recorded):
    """An education network (onderwijsnet) or Dutch denomination."""

    code = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("network")

    def __str__(self) -> str:
        return self.name


class Board(Recorded):
    """A school board (schoolbestuur, bevoegd gezag), by its number."""

    code = models.CharField(unique=True, max_length=20)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("board")

    def __str__(self) -> str:
        return self.name or self.code


class SchoolGroup(Recorded):
    """A school group (scholengemeenschap), by its number."""

    code = models.CharField(unique=True, max_length=20)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("school group")

    def __str__(self) -> str:
        return self.name or self.code


class Institution(Recorded):
    """An institution (instelling, BRIN): the school as the department numbers it."""

    number = models.CharField(_("institution number"), unique=True, max_length=20)
    country = models.CharField(max_length=2, choices=Country.choices)
    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    special = models.BooleanField(_("special education"), default=False)
    institution_type = models.CharField(_("type"), max_length=200, blank=True)
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.PROTECT)
    school_group = models.ForeignKey(SchoolGroup, null=True, blank=True, on_delete=models.PROTECT)
    network = models.ForeignKey(Network, null=True, blank=True, on_delete=models.PROTECT)
    # The province of its main location (hoofdzetel, else the lowest location number), kept by
    # the importers so reports can group institutions by province in one query.
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )  # indexed with level below
    guidance_centre = models.CharField(_("pupil guidance centre"), max_length=20, blank=True)
    company_number = models.CharField(_("company number"), max_length=20, blank=True)
    website = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=100, blank=True)
    recognition = models.CharField(max_length=10, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("institution")
        indexes = [
            models.Index(fields=["level", "special"]),
            models.Index(fields=["province", "level"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class Location(Recorded):
    """A location (vestigingsplaats) of an institution, with its address and province."""

    # Indexed by the unique key (institution, number), which starts with it.
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="locations", db_index=False
    )
    number = models.CharField(_("location number"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    is_main = models.BooleanField(_("main location"), default=False)
    street = models.CharField(max_length=200, blank=True)
    house_number = models.CharField(max_length=40, blank=True)
    box = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    place = models.CharField(max_length=100, blank=True)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT)
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT)
    lambert_x = models.IntegerField(null=True, blank=True)
    lambert_y = models.IntegerField(null=True, blank=True)
    structures = models.TextField(_("structures"), blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["institution", "number"]
        verbose_name = _("location")
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="location_key"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution.number}/{self.number})"


class Enrolment(Recorded):
    """How many pupils a location has in a school year at one level."""

    # Indexed by the unique key (location, school_year, level), which starts with it.
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="enrolments", db_index=False
    )
    school_year = models.CharField(max_length=9)
    level = models.CharField(max_length=20, choices=EnrolmentLevel.choices)
    pupils = models.PositiveIntegerField()

    class Meta:
        ordering = ["location", "school_year", "level"]
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "school_year", "level"], name="enrolment_key"
            ),
            models.CheckConstraint(condition=models.Q(pupils__gte=0), name="pupils_not_negative"),
        ]
        indexes = [models.Index(fields=["school_year"])]
