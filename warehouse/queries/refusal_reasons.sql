-- Why are applications refused (三（三）不予公开), and how is each reason's share of all refusals?
SELECT a.row_label AS reason, a.row_key,
       sum(a.value) AS applications,
       round(sum(a.value) / sum(sum(a.value)) OVER (), 3) AS share
FROM applications a
WHERE a.is_primary AND a.col_key = 'total' AND a.row_key LIKE 'denied\_%' ESCAPE '\'
GROUP BY a.row_label, a.row_key, a.row_order
HAVING sum(a.value) > 0
ORDER BY applications DESC, a.row_order;
