"""ictmonitor import labels FILE: label awards carried over from an earlier programme."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from ictmonitor.assessment.importers import import_labels
from ictmonitor.core.importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import carried-over label awards (contracts/labels.md), whole or not."
    what = gettext_noop("labels")
    importer = staticmethod(import_labels)
