-- How each source of each run ended (crawler/source_outcome.py): ok | partial | empty | blocked | down,
-- with the reason a person acts on and the number of documents listed.
CREATE TABLE core.source_runs (
    run_id VARCHAR, source_id VARCHAR, outcome VARCHAR, reason VARCHAR, n_documents INTEGER,
    loaded_at TIMESTAMPTZ
);

CREATE VIEW source_runs AS
SELECT r.run_id, r.source_id, s.name, s.region, s.cms, r.outcome, r.reason, r.n_documents, r.loaded_at,
       r.loaded_at = max(r.loaded_at) OVER (PARTITION BY r.source_id) AS is_latest
FROM core.source_runs r
LEFT JOIN core.sources s ON s.source_id = r.source_id;
