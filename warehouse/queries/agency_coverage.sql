-- Which agencies are covered, where are they, and for which years?
SELECT a.agency_id, a.name, a.province, a.city, a.county, a.region_level, a.resolved_from,
       a.years, a.n_reports
FROM agencies a
ORDER BY a.province, a.city NULLS FIRST, a.county NULLS FIRST, a.name;
