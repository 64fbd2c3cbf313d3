-- Rules across years of the same agency (template_spec.md §5.3), checked in SQL on primary reports.
--   XYEAR_CARRY__<col>        this year's 上年结转 = last year's 结转下年度 (per applicant column)
--   XYEAR_IN_FORCE__<kind>    现行有效件数(Y) = 现行有效件数(Y-1) + 本年制发件数(Y) - 本年废止件数(Y)
-- Both are warnings: logical identities, not printed rules (revisions and expiry break the second).

CREATE VIEW xyear_pairs AS
SELECT cur.report_id, prev.report_id AS prev_report_id, cur.agency_id, cur.report_year
FROM core.reports cur
JOIN report_rank kc ON kc.report_id = cur.report_id AND kc.is_primary
JOIN core.reports prev ON prev.agency_id = cur.agency_id AND prev.report_year = cur.report_year - 1
JOIN report_rank kp ON kp.report_id = prev.report_id AND kp.is_primary
WHERE cur.agency_id IS NOT NULL;

CREATE VIEW xyear_checks AS
WITH carry AS (
    SELECT p.report_id, p.prev_report_id, p.agency_id, p.report_year,
           'XYEAR_CARRY__' || cols.col_key AS rule,
           cur.value AS observed, prev.value AS expected,
           's3_carried_over__' || cols.col_key AS cell_key
    FROM xyear_pairs p
    CROSS JOIN (SELECT DISTINCT col_key FROM core.cell_defs WHERE section = 3) cols
    JOIN core.cells cur ON cur.report_id = p.report_id AND cur.cell_key = 's3_carried_over__' || cols.col_key
    LEFT JOIN core.cells prev ON prev.report_id = p.prev_report_id
                             AND prev.cell_key = 's3_carried_forward__' || cols.col_key
), in_force AS (
    SELECT p.report_id, p.prev_report_id, p.agency_id, p.report_year,
           'XYEAR_IN_FORCE__' || kinds.kind AS rule,
           cur.value AS observed,
           prev.value + issued.value - repealed.value AS expected,
           's2_' || kinds.kind || '_in_force' AS cell_key
    FROM xyear_pairs p
    CROSS JOIN (VALUES ('regulation'), ('normative_doc')) kinds(kind)
    JOIN core.cells cur ON cur.report_id = p.report_id AND cur.cell_key = 's2_' || kinds.kind || '_in_force'
    LEFT JOIN core.cells issued ON issued.report_id = p.report_id AND issued.cell_key = 's2_' || kinds.kind || '_issued'
    LEFT JOIN core.cells repealed ON repealed.report_id = p.report_id AND repealed.cell_key = 's2_' || kinds.kind || '_repealed'
    LEFT JOIN core.cells prev ON prev.report_id = p.prev_report_id AND prev.cell_key = 's2_' || kinds.kind || '_in_force'
), both_rules AS (
    SELECT * FROM carry UNION ALL SELECT * FROM in_force
)
SELECT report_id, prev_report_id, agency_id, report_year, rule, 'warning' AS severity,
       CASE WHEN observed IS NULL OR expected IS NULL THEN 'not_assessable'
            WHEN abs(observed - expected) < 1e-9 THEN 'pass' ELSE 'fail' END AS result,
       observed, expected, cell_key,
       CASE WHEN observed IS NOT NULL AND expected IS NOT NULL AND abs(observed - expected) >= 1e-9
            THEN format('{} = {} in {}, but {} expected from {}', cell_key,
                        CASE WHEN observed = trunc(observed) THEN CAST(CAST(observed AS BIGINT) AS VARCHAR)
                             ELSE CAST(observed AS VARCHAR) END, report_year,
                        CASE WHEN expected = trunc(expected) THEN CAST(CAST(expected AS BIGINT) AS VARCHAR)
                             ELSE CAST(expected AS VARCHAR) END, report_year - 1) END AS detail
FROM both_rules;

-- every failed rule: the record's own checks (origin 'record') and the cross-year ones ('warehouse')
CREATE VIEW rule_failures AS
SELECT c.report_id, r.agency_id, r.org_name, r.report_year, r.province, r.city, r.county,
       c.rule, c.severity, 'record' AS origin, c.detail, NULL::VARCHAR AS prev_report_id,
       r.document_url, r.page_url, r.is_primary
FROM core.checks c JOIN reports r ON r.report_id = c.report_id
WHERE c.result = 'fail'
UNION ALL
SELECT x.report_id, r.agency_id, r.org_name, r.report_year, r.province, r.city, r.county,
       x.rule, x.severity, 'warehouse' AS origin, x.detail, x.prev_report_id,
       r.document_url, r.page_url, r.is_primary
FROM xyear_checks x JOIN reports r ON r.report_id = x.report_id
WHERE x.result = 'fail';
