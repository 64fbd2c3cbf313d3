-- What share of applications handled were fully disclosed (予以公开), by province and year?
-- One report per agency and year (is_primary); imputed cells count, missing ones do not.
SELECT w.province, w.report_year,
       count(*) AS reports,
       sum(w.s3_granted__total) AS granted,
       sum(w.s3_results_total__total) AS handled,
       round(sum(w.s3_granted__total) / nullif(sum(w.s3_results_total__total), 0), 3) AS share_granted
FROM report_wide w
WHERE w.is_primary AND w.s3_granted__total IS NOT NULL AND w.s3_results_total__total IS NOT NULL
GROUP BY w.province, w.report_year
ORDER BY w.province, w.report_year;
