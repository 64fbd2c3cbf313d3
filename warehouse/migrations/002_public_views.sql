-- The public face of the warehouse (output_contract.md "The warehouse contract" and issue 6).
-- Helper views first; public views are listed in warehouse/views.py (PUBLIC_VIEWS).

-- where each document's bytes were first seen (earliest fetch, then URL, then source)
CREATE VIEW document_first_seen AS
SELECT * EXCLUDE (rn) FROM (
    SELECT d.*, row_number() OVER (PARTITION BY d.sha256
                                   ORDER BY d.fetched_at NULLS LAST, d.document_url, d.source_id, d.run_id) AS rn
    FROM core.documents d
) WHERE rn = 1;

-- the response that delivered a document URL with those bytes (earliest)
CREATE VIEW document_fetch AS
SELECT * EXCLUDE (rn) FROM (
    SELECT ds.sha256, f.fetch_id, f.url, f.final_url, f.http_status, f.fetched_at, f.outcome,
           row_number() OVER (PARTITION BY ds.sha256 ORDER BY f.fetched_at, f.fetch_id) AS rn
    FROM document_first_seen ds
    JOIN core.fetches f ON f.sha256 = ds.sha256
                       AND (f.url = ds.document_url OR f.final_url = ds.document_url)
) WHERE rn = 1;

-- the response for an article page URL (earliest successful one, else earliest)
CREATE VIEW page_fetch AS
SELECT * EXCLUDE (rn) FROM (
    SELECT f.url AS page_url, f.fetch_id, f.final_url, f.http_status, f.fetched_at, f.outcome, f.sha256,
           row_number() OVER (PARTITION BY f.url ORDER BY (f.outcome = 'ok') DESC, f.fetched_at, f.fetch_id) AS rn
    FROM core.fetches f
) WHERE rn = 1;

CREATE VIEW cell_labels AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY cell_key ORDER BY template = 'gov2021' DESC, template) AS rn
    FROM core.cell_defs
) WHERE rn = 1;

CREATE VIEW report_stats AS
SELECT report_id,
       count(*) AS n_cells,
       count(*) FILTER (WHERE status = 'read') AS n_read,
       count(*) FILTER (WHERE status = 'imputed') AS n_imputed,
       count(*) FILTER (WHERE status = 'missing') AS n_missing
FROM core.cells GROUP BY report_id;

-- one report per document (newest parser), then one per agency and year (most cells read)
CREATE VIEW report_rank AS
WITH per_doc AS (
    SELECT r.report_id, r.document_sha256, r.agency_id, r.report_year,
           row_number() OVER (PARTITION BY r.document_sha256 ORDER BY
               list_transform(string_split(regexp_replace(r.parser_version, '[^0-9.]', '', 'g'), '.'),
                              x -> TRY_CAST(x AS INTEGER)) DESC, r.parser_version DESC) AS doc_rank
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

CREATE VIEW reports AS
SELECT r.report_id, fs.source_id, r.org_name, r.report_year, r.template, r.title,
       r.document_sha256, fs.document_url, fs.page_url, fs.fetched_at, r.parser_version,
       r.converter, r.doc_format, r.pages, r.sec2_variant, r.sec3_variant, r.stat_period,
       r.agency_id, a.adcode, g.province, g.city, g.county, g.level AS region_level,
       coalesce(s.n_cells, 0) AS n_cells, coalesce(s.n_read, 0) AS n_read,
       coalesce(s.n_imputed, 0) AS n_imputed, coalesce(s.n_missing, 0) AS n_missing,
       (SELECT count(*) FROM core.checks c WHERE c.report_id = r.report_id AND c.result = 'fail') AS n_checks_failed,
       k.is_primary, k.is_latest_parse, r.warnings, r.run_id, r.loaded_at
FROM core.reports r
LEFT JOIN document_first_seen fs ON fs.sha256 = r.document_sha256
LEFT JOIN core.agencies a ON a.agency_id = r.agency_id
LEFT JOIN core.regions g ON g.adcode = a.adcode
LEFT JOIN report_stats s ON s.report_id = r.report_id
LEFT JOIN report_rank k ON k.report_id = r.report_id;

CREATE VIEW cells AS
SELECT c.report_id, c.cell_key, CAST(substr(c.cell_key, 2, 1) AS INTEGER) AS section,
       c.value, c.status, c.raw, c.locator, c.rule, c.confidence
FROM core.cells c;

CREATE VIEW checks AS
SELECT report_id, rule, severity, result, detail FROM core.checks;

CREATE VIEW fetches AS
SELECT run_id, source_id, url, final_url, redirect_chain, method, http_status, fetched_at, sha256,
       size, content_type, outcome, reason, kind, referer, etag, last_modified, encoding, meta, fetch_id
FROM core.fetches;

CREATE VIEW narrative AS
SELECT report_id, figure_key, value, raw, approx FROM core.narrative;

CREATE VIEW sections AS
SELECT report_id, section_key, text FROM core.sections;

-- every document seen (or parsed) with the outcome of its newest parse
CREATE VIEW documents AS
WITH latest AS (
    SELECT * EXCLUDE (rn) FROM (
        SELECT p.*, row_number() OVER (PARTITION BY p.sha256 ORDER BY
            list_transform(string_split(regexp_replace(p.parser_version, '[^0-9.]', '', 'g'), '.'),
                           x -> TRY_CAST(x AS INTEGER)) DESC, p.parser_version DESC) AS rn
        FROM core.parse_results p
    ) WHERE rn = 1
), shas AS (
    SELECT sha256 FROM core.documents UNION SELECT sha256 FROM core.parse_results
)
SELECT s.sha256, fs.source_id, fs.format, fs.document_url, fs.page_url, fs.title, fs.year_hint,
       fs.fetched_at, fs.store_path, fs.role, fs.filename,
       (SELECT count(*) FROM core.documents d WHERE d.sha256 = s.sha256) AS n_sightings,
       coalesce(l.status, 'not_parsed') AS parse_status, l.parser_version, l.error_kind, l.error,
       CASE WHEN l.status = 'ok' THEN l.sha256 || ':' || l.parser_version END AS report_id
FROM shas s
LEFT JOIN document_first_seen fs ON fs.sha256 = s.sha256
LEFT JOIN latest l ON l.sha256 = s.sha256;

CREATE VIEW parse_failures AS
SELECT sha256, parser_version, error_kind, error, source_id, document_url, page_url, title,
       format, fetched_at, store_path
FROM documents WHERE parse_status = 'failed';

CREATE VIEW agencies AS
SELECT a.agency_id, a.name, a.base_name, a.adcode, g.province, g.city, g.county,
       g.level AS region_level, a.resolved_from, a.source_id,
       min(r.report_year) AS first_year, max(r.report_year) AS last_year,
       list_sort(list_distinct(list(r.report_year) FILTER (WHERE r.report_year IS NOT NULL))) AS years,
       count(r.report_id) AS n_reports
FROM core.agencies a
LEFT JOIN core.regions g ON g.adcode = a.adcode
LEFT JOIN core.reports r ON r.agency_id = a.agency_id
GROUP BY ALL;

-- section 三 long: one row per report, row and column, with the Chinese labels
CREATE VIEW applications AS
SELECT c.report_id, r.agency_id, r.org_name, r.report_year, r.province, r.template, r.is_primary,
       l.row_key, l.row_label, l.row_group, l.row_order, l.col_key, l.col_label, l.col_order,
       c.value, c.status, c.raw
FROM core.cells c
JOIN cell_labels l ON l.cell_key = c.cell_key AND l.section = 3
JOIN reports r ON r.report_id = c.report_id;

-- cell -> report -> document -> fetch, page URL and document URL in one row
CREATE VIEW provenance AS
SELECT c.report_id, c.cell_key, c.value, c.status, c.raw, c.locator,
       r.org_name, r.report_year, r.document_sha256, r.parser_version, r.converter,
       fs.source_id, fs.run_id, fs.document_url, fs.page_url, fs.fetched_at,
       df.fetch_id AS document_fetch_id, df.http_status AS document_http_status,
       df.final_url AS document_final_url,
       pf.fetch_id AS page_fetch_id, pf.http_status AS page_http_status, pf.fetched_at AS page_fetched_at
FROM core.cells c
JOIN core.reports r ON r.report_id = c.report_id
LEFT JOIN document_first_seen fs ON fs.sha256 = r.document_sha256
LEFT JOIN document_fetch df ON df.sha256 = r.document_sha256
LEFT JOIN page_fetch pf ON pf.page_url = fs.page_url;
