-- Who files applications: natural persons versus legal persons and other organisations, by province?
SELECT w.province,
       sum(w.s3_new_received__total) AS new_applications,
       sum(w.s3_new_received__natural_person) AS natural_persons,
       sum(w.s3_new_received__total) - sum(w.s3_new_received__natural_person) AS organisations,
       round(sum(w.s3_new_received__natural_person) / nullif(sum(w.s3_new_received__total), 0), 3)
           AS share_natural_persons
FROM report_wide w
WHERE w.is_primary AND w.s3_new_received__total IS NOT NULL AND w.s3_new_received__natural_person IS NOT NULL
GROUP BY w.province
ORDER BY w.province;
