-- Which agencies' figures do not carry over from one year's report to the next?
SELECT r.org_name, x.report_year, x.rule, x.observed, x.expected, x.detail
FROM xyear_checks x
JOIN reports r ON r.report_id = x.report_id
WHERE x.result = 'fail'
ORDER BY r.org_name, x.report_year, x.rule;
