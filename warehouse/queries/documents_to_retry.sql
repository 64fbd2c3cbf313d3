-- Which documents could not be turned into a report, and why (the retry list)?
SELECT d.source_id, d.parse_status, d.error_kind, d.error, d.title, d.document_url
FROM documents d
WHERE d.parse_status <> 'ok'
ORDER BY d.source_id, d.parse_status, d.document_url;
