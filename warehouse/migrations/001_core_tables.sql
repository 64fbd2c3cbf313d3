-- Storage tables. No PRIMARY KEY constraints: DuckLake has none, and MERGE on the keys named in
-- warehouse/staging.py (MERGE_KEYS) keeps rows unique; tests/warehouse check the keys stay unique.
CREATE SCHEMA IF NOT EXISTS core;

CREATE TABLE core.runs (
    run_id VARCHAR, loaded_at TIMESTAMPTZ,
    n_sources INTEGER, n_fetches INTEGER, n_documents INTEGER, n_results INTEGER,
    n_reports INTEGER, n_failed INTEGER
);

CREATE TABLE core.sources (
    source_id VARCHAR, name VARCHAR, region VARCHAR, cms VARCHAR,
    start_urls VARCHAR[], allowed_domains VARCHAR[], years INTEGER[], config JSON,
    last_run_id VARCHAR
);

CREATE TABLE core.fetches (
    fetch_id VARCHAR, run_id VARCHAR, source_id VARCHAR, url VARCHAR, final_url VARCHAR,
    redirect_chain VARCHAR[], method VARCHAR, http_status INTEGER, fetched_at TIMESTAMPTZ,
    sha256 VARCHAR, size BIGINT, content_type VARCHAR, etag VARCHAR, last_modified VARCHAR,
    content_disposition VARCHAR, encoding VARCHAR, meta JSON, outcome VARCHAR, reason VARCHAR,
    kind VARCHAR, referer VARCHAR
);

CREATE TABLE core.documents (
    document_id VARCHAR, run_id VARCHAR, source_id VARCHAR, sha256 VARCHAR, format VARCHAR,
    document_url VARCHAR, page_url VARCHAR, title VARCHAR, year_hint INTEGER,
    fetched_at TIMESTAMPTZ, store_path VARCHAR, role VARCHAR, filename VARCHAR
);

CREATE TABLE core.parse_results (
    result_id VARCHAR, sha256 VARCHAR, parser_version VARCHAR, status VARCHAR,
    error VARCHAR, error_kind VARCHAR, run_id VARCHAR, loaded_at TIMESTAMPTZ
);

CREATE TABLE core.reports (
    report_id VARCHAR, document_sha256 VARCHAR, parser_version VARCHAR,
    title VARCHAR, org_name VARCHAR, report_year INTEGER, template VARCHAR,
    sec2_variant VARCHAR, sec3_variant VARCHAR, stat_period VARCHAR,
    doc_format VARCHAR, converter VARCHAR, pages INTEGER, size BIGINT,
    record_region JSON, agency_id VARCHAR, warnings VARCHAR[], record JSON,
    run_id VARCHAR, loaded_at TIMESTAMPTZ
);

CREATE TABLE core.agencies (
    agency_id VARCHAR, name VARCHAR, base_name VARCHAR, adcode VARCHAR,
    resolved_from VARCHAR, source_id VARCHAR
);

CREATE TABLE core.cells (
    report_id VARCHAR, cell_key VARCHAR, value DOUBLE, status VARCHAR, raw VARCHAR,
    locator JSON, rule VARCHAR, confidence DOUBLE
);

CREATE TABLE core.checks (
    report_id VARCHAR, rule VARCHAR, severity VARCHAR, result VARCHAR, detail VARCHAR
);

CREATE TABLE core.narrative (
    report_id VARCHAR, figure_key VARCHAR, value DOUBLE, raw VARCHAR, approx BOOLEAN
);

CREATE TABLE core.sections (
    section_id VARCHAR, report_id VARCHAR, section_key VARCHAR, text VARCHAR, tokens VARCHAR
);

-- reference data, refreshed by warehouse/reference.py when its inputs change
CREATE TABLE core.reference_digests (name VARCHAR, digest VARCHAR, loaded_at TIMESTAMPTZ);

CREATE TABLE core.cell_defs (
    template VARCHAR, cell_key VARCHAR, section INTEGER, key_order INTEGER, article VARCHAR,
    row_key VARCHAR, row_label VARCHAR, row_group VARCHAR, row_order INTEGER,
    col_key VARCHAR, col_label VARCHAR, col_order INTEGER, cell_group VARCHAR,
    type VARCHAR, unit VARCHAR, meaning VARCHAR
);

CREATE TABLE core.rule_defs (
    template VARCHAR, rule VARCHAR, severity VARCHAR, provenance VARCHAR, formula VARCHAR
);

CREATE TABLE core.regions (
    adcode VARCHAR, name VARCHAR, kind VARCHAR, level VARCHAR, province VARCHAR,
    city VARCHAR, county VARCHAR, parent_adcode VARCHAR
);
