-- 教育 education: kindergartens with childcare classes 托班, enrolled 2-3-year-olds, parenting guidance.
-- Shared with the hub through the exchange schema education_exchange (前置库, see 61_*).
CREATE SCHEMA IF NOT EXISTS education;

CREATE TABLE IF NOT EXISTS education.kindergarten (
  kindergarten_id       text PRIMARY KEY,
  name                  text NOT NULL,
  region_code           char(12) NOT NULL,
  address               text NOT NULL,
  ownership             text NOT NULL CHECK (ownership IN ('PUBLIC', 'PRIVATE')),
  inclusive             boolean NOT NULL,                -- 普惠性幼儿园
  nursery_class_places  integer NOT NULL CHECK (nursery_class_places >= 0),   -- 托班托位
  updated_at            timestamptz NOT NULL DEFAULT now()
);
-- 托班在托人数, as education's kindergarten system keeps it.
ALTER TABLE education.kindergarten
  ADD COLUMN IF NOT EXISTS nursery_class_enrolled integer CHECK (nursery_class_enrolled >= 0);

CREATE TABLE IF NOT EXISTS education.nursery_enrolment (
  citizen_id       char(18) PRIMARY KEY,                -- child aged 2-3 in a 托班
  kindergarten_id  text NOT NULL REFERENCES education.kindergarten (kindergarten_id),
  enrolled_on      date NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- 科学育儿指导服务覆盖: households with children under 3 reached by parenting guidance, per community and year.
CREATE TABLE IF NOT EXISTS education.parenting_guidance (
  region_code        char(12) NOT NULL,
  year               integer NOT NULL,
  households_total   integer NOT NULL CHECK (households_total >= 0),
  households_reached integer NOT NULL CHECK (households_reached >= 0),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, year)
);
