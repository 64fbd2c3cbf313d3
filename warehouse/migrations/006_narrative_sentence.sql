-- issue 18: the narrative view carries the sentence each figure was read from (the record's
-- narrative.<key>.sentence), so a researcher sees "分别为554782项、244523项" next to the number.
-- Read from the stored record rather than a new core.narrative column: the loader's rows stay as
-- they are and reports loaded before this migration show NULL.
CREATE OR REPLACE VIEW narrative AS
SELECT n.report_id, n.figure_key, n.value, n.raw, n.approx,
       json_extract_string(r.record, '$.narrative.' || n.figure_key || '.sentence') AS sentence
FROM core.narrative n
LEFT JOIN core.reports r ON r.report_id = n.report_id;
