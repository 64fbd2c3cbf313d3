-- How much did agencies collect in administrative fees (万元, 2021 template), by province and year?
-- Reports whose fee cell is blank are counted apart, never as 0.
SELECT w.province, w.report_year,
       count(*) FILTER (WHERE w.s2_fee_amount_wan_yuan IS NOT NULL) AS reports_with_fee,
       count(*) FILTER (WHERE w.s2_fee_amount_wan_yuan IS NULL) AS reports_fee_missing,
       sum(w.s2_fee_amount_wan_yuan) AS fee_wan_yuan
FROM report_wide w
JOIN cells c ON c.report_id = w.report_id AND c.cell_key = 's2_fee_amount_wan_yuan'
WHERE w.is_primary
GROUP BY w.province, w.report_year
ORDER BY w.province, w.report_year;
