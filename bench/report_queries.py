"""Hand-written SQL computing the same figures as each report with its typical breakdown.

The benchmark times each report against its query here, on the same database. `%(at)s` is the
report date.
"""

ACTIVE_INSTITUTION = ("(i.starts_on IS NULL OR i.starts_on <= %(at)s) "
                      "AND (i.ends_on IS NULL OR i.ends_on >= %(at)s)")
ACTIVE_LOCATION = ACTIVE_INSTITUTION.replace("i.", "l.")

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
}
