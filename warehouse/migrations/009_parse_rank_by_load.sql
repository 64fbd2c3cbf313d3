-- Parser versions are digests of the parser's code (pipeline/version.py), not numbers that grow: the
-- newest parse of a document is the one loaded last (a load takes only the current parser's results).
CREATE OR REPLACE VIEW report_rank AS
WITH per_doc AS (
    SELECT r.report_id, r.document_sha256, r.agency_id, r.report_year,
           row_number() OVER (PARTITION BY r.document_sha256
                              ORDER BY r.loaded_at DESC NULLS LAST, r.parser_version DESC) AS doc_rank
    FROM core.reports r
), per_year AS (
    SELECT p.*, row_number() OVER (
               PARTITION BY coalesce(p.agency_id, p.document_sha256),
                            coalesce(CAST(p.report_year AS VARCHAR), p.document_sha256)
               ORDER BY coalesce(s.n_read, 0) DESC, fs.fetched_at NULLS LAST, p.document_sha256) AS year_rank
    FROM per_doc p
    LEFT JOIN report_stats s USING (report_id)
    LEFT JOIN document_first_seen fs ON fs.sha256 = p.document_sha256
    WHERE p.doc_rank = 1
)
SELECT p.report_id, p.doc_rank = 1 AS is_latest_parse, coalesce(y.year_rank = 1, false) AS is_primary
FROM per_doc p LEFT JOIN per_year y USING (report_id);
