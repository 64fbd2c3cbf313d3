-- Which agencies' tables contradict themselves (a printed rule of the template fails)?
SELECT f.org_name, f.report_year, f.province, f.county,
       count(*) AS failed_rules,
       string_agg(f.rule, ', ' ORDER BY f.rule) AS rules,
       any_value(f.document_url) AS document_url
FROM rule_failures f
WHERE f.origin = 'record' AND f.severity = 'error'
GROUP BY f.org_name, f.report_year, f.province, f.county
ORDER BY failed_rules DESC, f.org_name, f.report_year;
