"""ictmonitor import enrolments FILE: pupil counts per location, school year and level."""

from django.utils.translation import gettext_noop

from ictmonitor.core.importcommand import ImportCommand
from ictmonitor.registry.importers import import_enrolments


class Command(ImportCommand):
    help = "Import pupil counts per location, school year and level, whole or not."
    importer = staticmethod(import_enrolments)
    what = gettext_noop("counts")
