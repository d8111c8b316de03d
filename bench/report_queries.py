"""Hand-written SQL computing the same figures as each report with its typical breakdown.

The benchmark times each report against its query here, on the same database. `%(at)s` is the
report date. Each column is named after the report's dimension or measure it gives (the flags of
school-modules: `offers:CODE`, `modules:CODE`); tests/reports/test_reference_queries.py checks
that every query gives the report's figures. `tariff` has none: it is computed from a YAML
scenario, with no database query.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

ACTIVE_INSTITUTION = ("(i.starts_on IS NULL OR i.starts_on <= %(at)s) "
                      "AND (i.ends_on IS NULL OR i.ends_on >= %(at)s)")
ACTIVE_LOCATION = ACTIVE_INSTITUTION.replace("i.", "l.")
ACTIVE_LINE = "s.started_on <= %(at)s AND (s.ended_on IS NULL OR s.ended_on >= %(at)s)"
LINES = ("connectivity_subscription s JOIN registry_location l ON l.id = s.location_id "
         "JOIN registry_institution i ON i.id = l.institution_id")
MODULE_BITS = {"firewall": 1, "web-protection": 2, "server-protection": 4, "server-network": 8,
               "ddos-protection": 16, "wifi": 32, "backup-line": 64, "pc-backup": 128,
               "server-backup": 256, "vpn": 512}
SCHOOL_FLAGS = ", ".join(
    [f"max(CASE WHEN s.offer_id = '{o}' THEN 1 ELSE 0 END) AS \"offers:{o}\""
     for o in ("internet-only", "managed")]
    + [f"max(CASE WHEN (s.modules & {bit}) <> 0 THEN 1 ELSE 0 END) AS \"modules:{code}\""
       for code, bit in MODULE_BITS.items()])
# A timestamp by the report date: before `%(after)s`, the first moment after that day in the
# site's time zone (Brussels), as `parameters` gives it. Django keeps timestamps in UTC, so a
# timestamp's own UTC day would put the first hour or two after Brussels' midnight on the day
# before (a label revoked at 00:10 in Brussels would still count on the day it was revoked).
BY_AT = "{} < %(after)s"
AFTER_AT = "{} >= %(after)s"
SUBMITTED_BY_AT = "{0}.status = 'submitted' AND " + BY_AT.format("{0}.submitted_at")


def parameters(at: date) -> dict[str, Any]:
    """The queries' parameters for a report date: the day, and the first moment after it in
    the site's time zone, written as the database keeps timestamps."""
    after = datetime.combine(at + timedelta(days=1), time.min,
                             tzinfo=timezone.get_current_timezone())
    return {"at": at, "after": connection.ops.adapt_datetimefield_value(after)}


QUERIES = {
    # schools --by level,province: institutions by their (main location's) province, locations
    # by their own, in one statement.
    "schools": f"""
        SELECT level, province, sum(institutions) AS institutions, sum(locations) AS locations
        FROM (
            SELECT i.level, i.province_id AS province, count(*) AS institutions, 0 AS locations
            FROM registry_institution i WHERE {ACTIVE_INSTITUTION}
            GROUP BY i.level, i.province_id
            UNION ALL
            SELECT i.level, l.province_id, 0, count(*)
            FROM registry_location l JOIN registry_institution i ON i.id = l.institution_id
            WHERE {ACTIVE_LOCATION} AND {ACTIVE_INSTITUTION}
            GROUP BY i.level, l.province_id
        ) t GROUP BY level, province ORDER BY level, province
    """,
    # pupils --by level,province: the latest school year.
    "pupils": """
        SELECT i.level AS level, l.province_id AS province, sum(e.pupils) AS pupils
        FROM registry_enrolment e
        JOIN registry_location l ON l.id = e.location_id
        JOIN registry_institution i ON i.id = l.institution_id
        WHERE e.school_year = (SELECT max(school_year) FROM registry_enrolment)
        GROUP BY i.level, l.province_id ORDER BY i.level, l.province_id
    """,
    # connectivity-adoption --by offer,level,province: distinct schools, lines active today.
    "connectivity-adoption": f"""
        SELECT s.offer_id AS offer, i.level AS level, l.province_id AS province,
               count(DISTINCT i.id) AS schools, count(*) AS lines
        FROM {LINES} WHERE {ACTIVE_LINE}
        GROUP BY s.offer_id, i.level, l.province_id ORDER BY s.offer_id, i.level, l.province_id
    """,
    # module-adoption --by module: lines joined to their modules on the bit mask.
    "module-adoption": f"""
        SELECT m.code AS module, count(DISTINCT i.id) AS schools, count(DISTINCT s.id) AS lines
        FROM {LINES} JOIN connectivity_module m ON (s.modules & m.bit) <> 0
        WHERE {ACTIVE_LINE} GROUP BY m.code ORDER BY m.code
    """,
    # school-modules --by school: bandwidth, and a flag per offer and module in use.
    "school-modules": f"""
        SELECT i.number AS school, sum(s.download_mbps) AS download_mbps, {SCHOOL_FLAGS}
        FROM {LINES} WHERE {ACTIVE_LINE} GROUP BY i.number ORDER BY i.number
    """,
    # connectivity-requests --by month,offer: every line by the month it was requested.
    "connectivity-requests": """
        SELECT substr(CAST(s.requested_on AS text), 1, 7) AS month, s.offer_id AS offer,
               count(*) AS requests
        FROM connectivity_subscription s WHERE s.requested_on IS NOT NULL
        GROUP BY substr(CAST(s.requested_on AS text), 1, 7), s.offer_id ORDER BY month, s.offer_id
    """,
    # tariff --by year: none; the report is computed from a YAML scenario, not the database.
    # voucher-summary --by wave: codes requested by the report date (or with no request date),
    # and of those the ones issued, activated, and activated and extended by then. The report
    # derives activation_rate (activated / issued) from these.
    "voucher-summary": """
        SELECT w.code AS wave, count(*) AS requested,
               count(CASE WHEN v.issued_on <= %(at)s THEN 1 END) AS issued,
               count(CASE WHEN v.activated_on <= %(at)s THEN 1 END) AS activated,
               count(CASE WHEN v.activated_on <= %(at)s AND v.extended_until IS NOT NULL
                          THEN 1 END) AS extended
        FROM vouchers_voucher v JOIN vouchers_wave w ON w.id = v.wave_id
        WHERE v.requested_on IS NULL OR v.requested_on <= %(at)s
        GROUP BY w.code ORDER BY w.code
    """,
    # voucher-funnel --by wave: what was asked (the requests' pupils, not withdrawn, made by the
    # report date; and each code without a request), and of the codes requested by then those
    # issued, handed out (a pupil reference or a hand-out, or activated), activated, and
    # activated and extended by then. Its shares are derived from these; recent use is
    # checked on hand-made codes (tests/vouchers/test_funnel.py).
    "voucher-funnel": f"""
        SELECT w.code AS wave, coalesce(r.asked, 0) + coalesce(c.unrequested, 0) AS requested,
               coalesce(c.issued, 0) AS issued, coalesce(c.handed_out, 0) AS handed_out,
               coalesce(c.activated, 0) AS activated, coalesce(c.extended, 0) AS extended
        FROM vouchers_wave w
        LEFT JOIN (SELECT wave_id, sum(pupils) AS asked FROM vouchers_request
                   WHERE status <> 'withdrawn' AND (requested_on <= %(at)s OR (
                       requested_on IS NULL AND {BY_AT.format("created_at")}))
                   GROUP BY wave_id) r ON r.wave_id = w.id
        LEFT JOIN (SELECT v.wave_id,
                          count(CASE WHEN v.request_id IS NULL THEN 1 END) AS unrequested,
                          count(CASE WHEN v.issued_on <= %(at)s THEN 1 END) AS issued,
                          count(CASE WHEN v.issued_on <= %(at)s AND (
                                         v.activated_on <= %(at)s
                                         OR {BY_AT.format("v.handed_out_at")}
                                         OR (v.handed_out_at IS NULL AND v.pupil_ref <> ''))
                                     THEN 1 END) AS handed_out,
                          count(CASE WHEN v.activated_on <= %(at)s THEN 1 END) AS activated,
                          count(CASE WHEN v.activated_on <= %(at)s
                                      AND v.extended_until IS NOT NULL THEN 1 END) AS extended
                   FROM vouchers_voucher v
                   WHERE v.requested_on IS NULL OR v.requested_on <= %(at)s
                   GROUP BY v.wave_id) c ON c.wave_id = w.id
        WHERE r.asked IS NOT NULL OR c.wave_id IS NOT NULL
        ORDER BY w.code
    """,
    # voucher-reasons --by wave,reason: codes issued and not activated by the report date, by
    # the reason their school recorded (`not-recorded` when none).
    "voucher-reasons": """
        SELECT w.code AS wave,
               CASE WHEN v.problem = '' THEN 'not-recorded' ELSE v.problem END AS reason,
               count(*) AS codes
        FROM vouchers_voucher v JOIN vouchers_wave w ON w.id = v.wave_id
        WHERE v.issued_on <= %(at)s AND (v.activated_on IS NULL OR v.activated_on > %(at)s)
        GROUP BY w.code, CASE WHEN v.problem = '' THEN 'not-recorded' ELSE v.problem END
        ORDER BY 1, 2
    """,
    # label-holders --by province: institutions with a label valid on the report date (awarded
    # by then, not expired, not revoked by then), by the institution's province. The report
    # keeps each institution's latest valid label; that decides its label_level, not its count.
    "label-holders": f"""
        SELECT i.province_id AS province, count(DISTINCT lb.institution_id) AS institutions
        FROM assessment_label lb JOIN registry_institution i ON i.id = lb.institution_id
        WHERE lb.awarded_on <= %(at)s AND lb.valid_until >= %(at)s
          AND (lb.revoked_at IS NULL OR {AFTER_AT.format("lb.revoked_at")})
        GROUP BY i.province_id ORDER BY i.province_id
    """,
    # label-awards --by year: labels awarded by the report date and never revoked, by the year
    # they were awarded (as text, `2016`).
    "label-awards": """
        SELECT substr(CAST(lb.awarded_on AS text), 1, 4) AS year, count(*) AS awards
        FROM assessment_label lb WHERE lb.awarded_on <= %(at)s AND lb.revoked_at IS NULL
        GROUP BY substr(CAST(lb.awarded_on AS text), 1, 4) ORDER BY year
    """,
    # assessment-areas --by area: each institution's latest assessment submitted by the report
    # date (ties on the moment all count), kept when it is on the online-safety framework;
    # institutions and the mean of their area scores (the report rounds it to 0.1).
    "assessment-areas": f"""
        SELECT sc.area AS area, count(DISTINCT a.institution_id) AS institutions,
               avg(sc.score) AS mean_score
        FROM assessment_areascore sc JOIN assessment_assessment a ON a.id = sc.assessment_id
        WHERE {SUBMITTED_BY_AT.format("a")} AND a.framework = 'ictmonitor-online-safety'
          AND NOT EXISTS (
              SELECT 1 FROM assessment_assessment n
              WHERE n.institution_id = a.institution_id AND {SUBMITTED_BY_AT.format("n")}
                AND n.submitted_at > a.submitted_at)
        GROUP BY sc.area ORDER BY sc.area
    """,
    # assessment-questions --by question: the answers of each institution's latest assessment
    # (as assessment-areas takes it); per question the institutions, the share of its answers
    # at each level ("don't know" and "not applicable" apart) and the mean level, "don't know"
    # as 0 and "not applicable" left out.
    "assessment-questions": f"""
        SELECT an.question AS question, count(DISTINCT a.institution_id) AS institutions,
               1.0 * sum(CASE WHEN an.mark = '' AND an.level = 0 THEN 1 ELSE 0 END) / count(*)
                   AS share_level_0,
               1.0 * sum(CASE WHEN an.mark = '' AND an.level = 1 THEN 1 ELSE 0 END) / count(*)
                   AS share_level_1,
               1.0 * sum(CASE WHEN an.mark = '' AND an.level = 2 THEN 1 ELSE 0 END) / count(*)
                   AS share_level_2,
               1.0 * sum(CASE WHEN an.mark = '' AND an.level = 3 THEN 1 ELSE 0 END) / count(*)
                   AS share_level_3,
               1.0 * sum(CASE WHEN an.mark = 'dont-know' THEN 1 ELSE 0 END) / count(*)
                   AS share_dont_know,
               1.0 * sum(CASE WHEN an.mark = 'not-applicable' THEN 1 ELSE 0 END) / count(*)
                   AS share_not_applicable,
               avg(CASE WHEN an.mark <> 'not-applicable' THEN an.level END) AS mean_level
        FROM assessment_answer an JOIN assessment_assessment a ON a.id = an.assessment_id
        WHERE {SUBMITTED_BY_AT.format("a")} AND a.framework = 'ictmonitor-online-safety'
          AND NOT EXISTS (
              SELECT 1 FROM assessment_assessment n
              WHERE n.institution_id = a.institution_id AND {SUBMITTED_BY_AT.format("n")}
                AND n.submitted_at > a.submitted_at)
        GROUP BY an.question ORDER BY an.question
    """,
    # assessment-progress --by area: each institution's latest assessment (as above) that
    # followed a submitted one on the same framework; per area the institutions and the mean
    # change of the area's score from that previous assessment (the report rounds it to 0.1).
    "assessment-progress": f"""
        SELECT sc.area AS area, count(DISTINCT a.institution_id) AS institutions,
               avg(sc.score - ps.score) AS mean_change
        FROM assessment_areascore sc JOIN assessment_assessment a ON a.id = sc.assessment_id
        JOIN assessment_assessment p ON p.id = a.previous_id
        JOIN assessment_areascore ps ON ps.assessment_id = p.id AND ps.area = sc.area
        WHERE {SUBMITTED_BY_AT.format("a")} AND p.status = 'submitted'
          AND p.framework = a.framework
          AND NOT EXISTS (
              SELECT 1 FROM assessment_assessment n
              WHERE n.institution_id = a.institution_id AND {SUBMITTED_BY_AT.format("n")}
                AND n.submitted_at > a.submitted_at)
        GROUP BY sc.area ORDER BY sc.area
    """,
    # incidents --by kind: incidents recorded by the report date, by their kind.
    "incidents": """
        SELECT kind, count(*) AS incidents FROM incidents_incident
        WHERE recorded_on <= %(at)s GROUP BY kind ORDER BY kind
    """,
}
