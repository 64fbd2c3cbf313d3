-- Cells recognised from an image (scans): `ocr` says which, `suspect` says why a value may be
-- wrong (readers disagreed, a rule fails on OCR'd values, the row label was misread …).
-- A suspect value is kept as read, never silently: filter `WHERE suspect IS NULL` for the sure ones.
-- no DEFAULT: DuckLake refuses one on ADD COLUMN; the view reads NULL as false
ALTER TABLE core.cells ADD COLUMN ocr BOOLEAN;
ALTER TABLE core.cells ADD COLUMN suspect VARCHAR;

CREATE OR REPLACE VIEW cells AS
SELECT c.report_id, c.cell_key, CAST(substr(c.cell_key, 2, 1) AS INTEGER) AS section,
       c.value, c.status, c.raw, c.locator, c.rule, c.confidence,
       coalesce(c.ocr, false) AS ocr, c.suspect
FROM core.cells c;
