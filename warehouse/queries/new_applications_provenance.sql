-- Where does each agency's count of new applications come from (page, document, place in it)?
SELECT p.org_name, p.report_year, p.value AS new_applications, p.status,
       p.page_url, p.document_url, p.locator, p.fetched_at
FROM provenance p
JOIN reports r ON r.report_id = p.report_id AND r.is_primary
WHERE p.cell_key = 's3_new_received__total'
ORDER BY p.org_name, p.report_year;
