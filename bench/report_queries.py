"""Hand-written SQL computing the same figures as each report with its typical breakdown.

The benchmark times each report against its query here, on the same database. `%(at)s` is the
report date.
"""

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
    [f"max(CASE WHEN s.offer_id = '{o}' THEN 1 ELSE 0 END)" for o in ("internet-only", "managed")]
    + [f"max(CASE WHEN (s.modules & {bit}) <> 0 THEN 1 ELSE 0 END)"
       for bit in MODULE_BITS.values()])

QUERIES = {
    # schools --by level,province: institutions by their (main location's) province, locations
    # by their own, in one statement.
    "schools": f"""
        SELECT level, province, sum(institutions), sum(locations) FROM (
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
        SELECT i.level, l.province_id, sum(e.pupils)
        FROM registry_enrolment e
        JOIN registry_location l ON l.id = e.location_id
        JOIN registry_institution i ON i.id = l.institution_id
        WHERE e.school_year = (SELECT max(school_year) FROM registry_enrolment)
        GROUP BY i.level, l.province_id ORDER BY i.level, l.province_id
    """,
    # connectivity-adoption --by offer,level,province: distinct schools, lines active today.
    "connectivity-adoption": f"""
        SELECT s.offer_id, i.level, l.province_id, count(DISTINCT i.id), count(*)
        FROM {LINES} WHERE {ACTIVE_LINE}
        GROUP BY s.offer_id, i.level, l.province_id ORDER BY s.offer_id, i.level, l.province_id
    """,
    # module-adoption --by module: lines joined to their modules on the bit mask.
    "module-adoption": f"""
        SELECT m.code, count(DISTINCT i.id), count(DISTINCT s.id)
        FROM {LINES} JOIN connectivity_module m ON (s.modules & m.bit) <> 0
        WHERE {ACTIVE_LINE} GROUP BY m.code ORDER BY m.code
    """,
    # school-modules --by school: bandwidth, and a flag per offer and module in use.
    "school-modules": f"""
        SELECT i.number, sum(s.download_mbps), {SCHOOL_FLAGS}
        FROM {LINES} WHERE {ACTIVE_LINE} GROUP BY i.number ORDER BY i.number
    """,
    # connectivity-requests --by month,offer: every line by the month it was requested.
    "connectivity-requests": """
        SELECT substr(CAST(s.requested_on AS text), 1, 7) AS month, s.offer_id, count(*)
        FROM connectivity_subscription s WHERE s.requested_on IS NOT NULL
        GROUP BY substr(CAST(s.requested_on AS text), 1, 7), s.offer_id ORDER BY month, s.offer_id
    """,
}
