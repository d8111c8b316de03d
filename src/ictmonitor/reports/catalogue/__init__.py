"""The report catalogue: one small module per report; REPORTS is the order they are shown in."""

from ictmonitor.reports.catalogue.assessment_areas import ASSESSMENT_AREAS
from ictmonitor.reports.catalogue.assessment_progress import ASSESSMENT_PROGRESS
from ictmonitor.reports.catalogue.assessment_questions import ASSESSMENT_QUESTIONS
from ictmonitor.reports.catalogue.connectivity_adoption import CONNECTIVITY_ADOPTION
from ictmonitor.reports.catalogue.connectivity_quality import CONNECTIVITY_QUALITY
from ictmonitor.reports.catalogue.connectivity_requests import CONNECTIVITY_REQUESTS
from ictmonitor.reports.catalogue.failovers import FAILOVERS
from ictmonitor.reports.catalogue.incidents import INCIDENTS
from ictmonitor.reports.catalogue.label_awards import LABEL_AWARDS
from ictmonitor.reports.catalogue.label_holders import LABEL_HOLDERS
from ictmonitor.reports.catalogue.line_status import LINE_STATUS
from ictmonitor.reports.catalogue.module_adoption import MODULE_ADOPTION
from ictmonitor.reports.catalogue.pupils import PUPILS
from ictmonitor.reports.catalogue.school_modules import SCHOOL_MODULES
from ictmonitor.reports.catalogue.schools import SCHOOLS
from ictmonitor.reports.catalogue.tariff import TARIFF
from ictmonitor.reports.catalogue.voucher_funnel import VOUCHER_FUNNEL
from ictmonitor.reports.catalogue.voucher_reasons import VOUCHER_REASONS
from ictmonitor.reports.catalogue.voucher_summary import VOUCHER_SUMMARY

REPORTS = [SCHOOLS, PUPILS, CONNECTIVITY_ADOPTION, MODULE_ADOPTION, SCHOOL_MODULES,
           CONNECTIVITY_REQUESTS, TARIFF, VOUCHER_SUMMARY, VOUCHER_FUNNEL,
           VOUCHER_REASONS,
           LABEL_HOLDERS, LABEL_AWARDS, ASSESSMENT_AREAS, ASSESSMENT_QUESTIONS,
           ASSESSMENT_PROGRESS, INCIDENTS]
REPORTS += [CONNECTIVITY_QUALITY, LINE_STATUS, FAILOVERS]  # measured lines (issue 16)
