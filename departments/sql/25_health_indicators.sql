-- 卫健 health: infant health management status, published for indicator 21 (婴幼儿健康管理率).
-- One row per child with infant visit records, placed by the community on the child's birth certificate.
-- The rule is the hub's `infantHealth` rule: a child is MANAGED on day D when the newborn home visit is done
-- and no scheduled check (1, 3, 6, 8, 12, 18, 24, 30, 36 months) is more than a month overdue on D. So the
-- child is MANAGED on every D up to `managed_until` = (due date of the first check not done) + 1 month
-- (9999-12-31 when every scheduled check is done); `managed_until` is null when the newborn visit is not done.
CREATE OR REPLACE VIEW health.infant_management AS
WITH child AS (
  SELECT b.child_citizen_id AS citizen_id, b.region_code, b.birth_date,
         bool_or(v.kind = 'NEWBORN_HOME_VISIT' AND v.done_on IS NOT NULL) AS newborn_visit_done,
         max(greatest(v.updated_at, b.updated_at)) AS updated_at,
         -- The ages (months) of the checks done, gathered in the same pass over the child's visits.
         coalesce(array_agg(v.age_months) FILTER (WHERE v.kind = 'CHECK' AND v.done_on IS NOT NULL), '{}') AS checks_done
    FROM health.birth_certificate b
    JOIN health.infant_visit v ON v.citizen_id = b.child_citizen_id
   GROUP BY 1, 2, 3
)
SELECT c.citizen_id, c.region_code, c.birth_date, c.newborn_visit_done,
       CASE WHEN NOT c.newborn_visit_done THEN NULL
            ELSE coalesce((
              SELECT min((c.birth_date + make_interval(months => a.age) + interval '1 month')::date)
                FROM unnest(ARRAY[1, 3, 6, 8, 12, 18, 24, 30, 36]) AS a(age)
               WHERE a.age <> ALL (c.checks_done)),
              DATE '9999-12-31')
       END AS managed_until,
       c.updated_at
  FROM child c;
