-- Full-text index kept incrementally: one row per (section, term) with the term's count, written by
-- each load for the sections it brings (warehouse/staging.py), read by warehouse/search.py (BM25 in
-- SQL). It replaces the fts extension's index, which had to be rebuilt over every section after
-- every load (a load grew with the warehouse) and could not live in a DuckLake.
CREATE TABLE core.section_terms (report_id VARCHAR, section_id VARCHAR, term VARCHAR, tf INTEGER);

INSERT INTO core.section_terms
SELECT report_id, section_id, term, count(*)::INTEGER
FROM (SELECT report_id, section_id, unnest(string_split(lower(tokens), ' ')) AS term FROM core.sections)
WHERE term <> ''
GROUP BY report_id, section_id, term;

-- the fts extension's index of the DuckDB-file warehouses, no longer kept up to date
DROP SCHEMA IF EXISTS fts_core_sections CASCADE;
