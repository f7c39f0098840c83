-- 民政 civil affairs: elderly profiles, capability assessments (GB/T 42195-2022), subsidies, elderly-care
-- facilities and beds, care arrangements, monthly visits 月探访, meal assistance 助餐.
-- Shared with the hub through the exchange schema civil_affairs_exchange (前置库, see 51_*).
CREATE SCHEMA IF NOT EXISTS civil_affairs;

CREATE TABLE IF NOT EXISTS civil_affairs.elderly_profile (
  citizen_id               char(18) PRIMARY KEY,        -- people aged 60+ known to civil affairs
  special_hardship         boolean NOT NULL,            -- 特困
  minimum_living           boolean NOT NULL,            -- 低保
  economic_difficulty      boolean NOT NULL,            -- 经济困难
  living_alone             boolean NOT NULL,            -- 独居
  empty_nest               boolean NOT NULL,            -- 空巢
  family_planning_special  boolean NOT NULL,            -- 计划生育特殊家庭
  updated_at               timestamptz NOT NULL DEFAULT now()
);
-- What civil affairs' elderly information system keeps about the person itself: community of residence, birth
-- date, sex, and the current capability level (from the latest assessment; null = never assessed). They let the
-- roster be filtered by region and age without asking another department.
ALTER TABLE civil_affairs.elderly_profile
  ADD COLUMN IF NOT EXISTS region_code      char(12),
  ADD COLUMN IF NOT EXISTS birth_date       date,
  ADD COLUMN IF NOT EXISTS sex              char(1) CHECK (sex IN ('M', 'F')),
  ADD COLUMN IF NOT EXISTS capability_level integer CHECK (capability_level BETWEEN 0 AND 4);
CREATE INDEX IF NOT EXISTS elderly_profile_region_idx ON civil_affairs.elderly_profile (region_code);
-- 特困人员集中供养意愿: whether a 特困 person wishes to be cared for in an institution (true / false; null = not
-- recorded). The 十四五 table's row 11 counts the disabled 特困 who have not declined.
ALTER TABLE civil_affairs.elderly_profile
  ADD COLUMN IF NOT EXISTS central_care_willing boolean;

CREATE TABLE IF NOT EXISTS civil_affairs.capability_assessment (
  assessment_id   text PRIMARY KEY,
  citizen_id      char(18) NOT NULL,
  level           integer NOT NULL CHECK (level BETWEEN 0 AND 4),  -- 0 能力完好 1 轻度失能 2 中度失能 3 重度失能 4 完全失能
  assessed_on     date NOT NULL,
  assessor_org    text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS capability_assessment_citizen_idx ON civil_affairs.capability_assessment (citizen_id);

CREATE TABLE IF NOT EXISTS civil_affairs.subsidy (
  subsidy_id    text PRIMARY KEY,
  citizen_id    char(18) NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('AGED_ALLOWANCE', 'NURSING_SUBSIDY', 'SERVICE_SUBSIDY')),  -- 高龄津贴 护理补贴 服务补贴
  amount_yuan   numeric(10, 2) NOT NULL CHECK (amount_yuan > 0),   -- per month
  period_start  date NOT NULL,
  period_end    date,                                             -- null = ongoing
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS subsidy_citizen_idx ON civil_affairs.subsidy (citizen_id);

CREATE TABLE IF NOT EXISTS civil_affairs.institution (
  institution_id   text PRIMARY KEY,
  name             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('FULL_CARE_INSTITUTION', 'STREET_CENTRE', 'COMMUNITY_STATION', 'SUPPORTING_FACILITY')),
  -- 全托养老机构 / 全托日托相结合的街道养老服务中心 / 日托社区养老服务站 / 配套服务设施 (老年大学, 教学点, 社区食堂)
  subtype          text,                                -- for SUPPORTING_FACILITY: SENIOR_UNIVERSITY, TEACHING_POINT, COMMUNITY_CANTEEN
  ownership        text NOT NULL CHECK (ownership IN ('PUBLIC', 'PRIVATE')),   -- 公办 / 社会办
  operator         text NOT NULL,
  region_code      char(12) NOT NULL,                   -- street (9 digits + '000') or community (12 digits)
  address          text NOT NULL,
  care_modes       text[] NOT NULL,                     -- subset of FULL_TIME 全托, DAY_CARE 日托
  star_level       integer CHECK (star_level BETWEEN 1 AND 5),
  beds_total       integer NOT NULL CHECK (beds_total >= 0),
  beds_nursing     integer NOT NULL CHECK (beds_nursing >= 0),     -- 护理型
  beds_safety_net  integer NOT NULL CHECK (beds_safety_net >= 0),  -- 兜底
  beds_inclusive   integer NOT NULL CHECK (beds_inclusive >= 0),   -- 普惠
  beds_occupied    integer NOT NULL CHECK (beds_occupied >= 0),
  medical_contract boolean NOT NULL,                               -- 与卫生服务中心签约
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS civil_affairs.care_arrangement (
  citizen_id      char(18) PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('INSTITUTION', 'HOME_CARE_BED')),   -- 机构入住 / 家庭养老床位
  institution_id  text REFERENCES civil_affairs.institution (institution_id),       -- the serving institution
  since           date NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS civil_affairs.monthly_visit (
  visit_id      text PRIMARY KEY,
  citizen_id    char(18) NOT NULL,                       -- elderly in special difficulty
  month         date NOT NULL,                           -- first day of the month visited
  visited_on    date NOT NULL,
  visitor_org   text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (citizen_id, month)
);

CREATE TABLE IF NOT EXISTS civil_affairs.meal_assistance (
  citizen_id      char(18) PRIMARY KEY,
  institution_id  text NOT NULL REFERENCES civil_affairs.institution (institution_id),  -- canteen / station
  since           date NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
