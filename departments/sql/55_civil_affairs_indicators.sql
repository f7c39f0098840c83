-- 民政 civil affairs: derived registers published for indicators (一老一小 十四五 table, rows 7, 11, 13, 14).
-- Views over the storage tables of 50_civil_affairs.sql; the exchange schema publishes them like any entity.

-- One row per elderly profile: where the person lives, the special-difficulty flags and the care arrangement.
-- 特殊困难老年人 = any of 特困, 低保, 经济困难, 计划生育特殊家庭, 独居.
CREATE OR REPLACE VIEW civil_affairs.elderly_status AS
SELECT p.citizen_id,
       p.region_code,
       p.birth_date,
       p.special_hardship,
       (p.special_hardship OR p.minimum_living OR p.economic_difficulty OR p.family_planning_special OR p.living_alone)
         AS special_difficulty,
       p.capability_level,
       c.kind AS care_kind,
       greatest(p.updated_at, coalesce(c.updated_at, p.updated_at)) AS updated_at,
       -- Declined central care (集中供养意愿 recorded as no); not recorded counts as willing. Last: a view
       -- replaced in place may only gain columns at its end.
       coalesce(p.central_care_willing = false, false) AS declines_central_care
  FROM civil_affairs.elderly_profile p
  LEFT JOIN civil_affairs.care_arrangement c ON c.citizen_id = p.citizen_id;

-- One row per basic elderly service (基本养老服务) received by an elderly person in special difficulty, with the
-- days it covers: subsidies (their period), monthly visits (the month visited), home-care beds and institution
-- places (since), meal assistance (since). Open-ended services end on 9999-12-31.
CREATE OR REPLACE VIEW civil_affairs.service_receipt AS
WITH needy AS (
  SELECT p.citizen_id, p.region_code, (c.kind IS DISTINCT FROM 'INSTITUTION') AS at_home, p.updated_at
    FROM civil_affairs.elderly_profile p
    LEFT JOIN civil_affairs.care_arrangement c ON c.citizen_id = p.citizen_id
   WHERE p.special_hardship OR p.minimum_living OR p.economic_difficulty OR p.family_planning_special OR p.living_alone
)
SELECT 'SUBSIDY:' || s.subsidy_id AS receipt_id, n.citizen_id, n.region_code, 'SUBSIDY'::text AS service, n.at_home,
       s.period_start AS starts_on, coalesce(s.period_end, DATE '9999-12-31') AS ends_on, s.updated_at
  FROM needy n JOIN civil_affairs.subsidy s ON s.citizen_id = n.citizen_id
UNION ALL
SELECT 'VISIT:' || v.visit_id, n.citizen_id, n.region_code, 'MONTHLY_VISIT', n.at_home,
       v.month, (v.month + interval '1 month' - interval '1 day')::date, v.updated_at
  FROM needy n JOIN civil_affairs.monthly_visit v ON v.citizen_id = n.citizen_id
UNION ALL
SELECT 'CARE:' || n.citizen_id, n.citizen_id, n.region_code, c.kind, n.at_home, c.since, DATE '9999-12-31', c.updated_at
  FROM needy n JOIN civil_affairs.care_arrangement c ON c.citizen_id = n.citizen_id
UNION ALL
SELECT 'MEAL:' || n.citizen_id, n.citizen_id, n.region_code, 'MEAL_ASSISTANCE', n.at_home, m.since, DATE '9999-12-31', m.updated_at
  FROM needy n JOIN civil_affairs.meal_assistance m ON m.citizen_id = n.citizen_id;
