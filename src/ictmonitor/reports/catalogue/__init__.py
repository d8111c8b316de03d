"""The report catalogue: one small module per report; REPORTS is the order they are shown in."""

from ictmonitor.reports.catalogue.pupils import PUPILS
from ictmonitor.reports.catalogue.schools import SCHOOLS

REPORTS = [SCHOOLS, PUPILS]
