-- 卫健 health: birth certificates, infant health management, vaccinations, childcare filings,
-- annual health checks of people aged 65+, family-doctor contracts.
CREATE SCHEMA IF NOT EXISTS health;

CREATE TABLE IF NOT EXISTS health.birth_certificate (
  certificate_number  text PRIMARY KEY,                  -- 出生医学证明编号, e.g. 'Q500103' + 6 digits
  idempotency_key     text UNIQUE,                       -- null for certificates issued before the hub
  child_name          text NOT NULL,
  sex                 char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date          date NOT NULL,
  birth_weight_g      integer NOT NULL CHECK (birth_weight_g BETWEEN 300 AND 7000),
  hospital            text NOT NULL,
  mother_citizen_id   char(18) NOT NULL,
  father_citizen_id   char(18),
  region_code         char(12) NOT NULL,
  child_citizen_id    char(18),                          -- filled once public security registers the birth
  issued_at           timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- 助产机构 are known by the certificates they issued (issueBirthCertificate checks the hospital's name).
CREATE INDEX IF NOT EXISTS birth_certificate_hospital_idx ON health.birth_certificate (hospital);

-- 新生儿家庭访视 and 婴幼儿健康检查: one row per scheduled check (age 1, 3, 6, 8, 12, 18, 24, 30, 36 months).
CREATE TABLE IF NOT EXISTS health.infant_visit (
  visit_id     text PRIMARY KEY,
  citizen_id   char(18) NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('NEWBORN_HOME_VISIT', 'CHECK')),
  age_months   integer NOT NULL CHECK (age_months IN (0, 1, 3, 6, 8, 12, 18, 24, 30, 36)),  -- 0 = newborn visit
  done_on      date,                                     -- null = not done
  organisation text NOT NULL,                            -- 社区卫生服务中心
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS infant_visit_citizen_idx ON health.infant_visit (citizen_id);

CREATE TABLE IF NOT EXISTS health.vaccination (
  vaccination_id  text PRIMARY KEY,
  citizen_id      char(18) NOT NULL,
  vaccine_code    text NOT NULL,                         -- e.g. 'HepB', 'BCG', 'IPV', 'DTaP', 'MMR'
  vaccine_name    text NOT NULL,                         -- 乙肝疫苗, 卡介苗, …
  dose            integer NOT NULL CHECK (dose BETWEEN 1 AND 5),
  vaccinated_on   date NOT NULL,
  organisation    text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS vaccination_citizen_idx ON health.vaccination (citizen_id);

-- 预防接种档案: created by the 出生一件事 joint service once the child has a citizen ID.
CREATE TABLE IF NOT EXISTS health.vaccination_archive (
  archive_id       text PRIMARY KEY,
  idempotency_key  text UNIQUE,
  citizen_id       char(18) NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS health.childcare_institution (
  institution_id          text PRIMARY KEY,              -- 'CC' + region + serial
  name                    text NOT NULL,
  region_code             char(12) NOT NULL,
  address                 text NOT NULL,
  operator                text NOT NULL,
  registration_authority  text NOT NULL CHECK (registration_authority IN ('PUBLIC_SECTOR', 'CIVIL_AFFAIRS', 'MARKET_REGULATION')),  -- 编制/民政/市场监管
  filing_number           text UNIQUE,                   -- 托育机构备案号; null = not filed
  filing_date             date,
  filing_status           text NOT NULL CHECK (filing_status IN ('FILED', 'PENDING', 'NOT_FILED', 'REVOKED')),
  service_types           text[] NOT NULL,               -- subset of FULL_DAY 全日托, HALF_DAY 半日托, HOURLY 计时托, TEMPORARY 临时托
  places                  integer NOT NULL CHECK (places >= 0),   -- 托位
  inclusive               boolean NOT NULL,              -- 普惠
  enrolled                integer NOT NULL CHECK (enrolled >= 0),
  staff_total             integer NOT NULL CHECK (staff_total >= 0),
  staff_certified         integer NOT NULL CHECK (staff_certified >= 0),
  medical_contract        boolean NOT NULL,              -- 与医疗卫生机构签约
  updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS health.childcare_enrolment (
  citizen_id      char(18) PRIMARY KEY,
  institution_id  text NOT NULL REFERENCES health.childcare_institution (institution_id),
  service_type    text NOT NULL,
  enrolled_on     date NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- 65岁及以上老年人年度健康体检
CREATE TABLE IF NOT EXISTS health.elderly_health_check (
  check_id      text PRIMARY KEY,
  citizen_id    char(18) NOT NULL,
  year          integer NOT NULL,
  checked_on    date NOT NULL,
  organisation  text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS elderly_health_check_citizen_idx ON health.elderly_health_check (citizen_id);

CREATE TABLE IF NOT EXISTS health.family_doctor_contract (
  contract_id   text PRIMARY KEY,
  citizen_id    char(18) NOT NULL UNIQUE,
  team          text NOT NULL,                          -- 家庭医生团队
  organisation  text NOT NULL,
  signed_on     date NOT NULL,
  valid_until   date NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
