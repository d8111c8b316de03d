"""ictmonitor import schools FILE: the Flemish or DUO list of school locations."""

from django.utils.translation import gettext_noop

from ictmonitor.core.importcommand import ImportCommand
from ictmonitor.registry.importers import import_school_list


class Command(ImportCommand):
    help = "Import a list of school locations (the Flemish department's or DUO's), whole or not."
    importer = staticmethod(import_school_list)
    what = gettext_noop("locations")
