-- 医保 medical insurance: resident medical insurance enrolment 居民医保参保.
CREATE SCHEMA IF NOT EXISTS medical_insurance;

CREATE TABLE IF NOT EXISTS medical_insurance.enrolment (
  enrolment_id     text PRIMARY KEY,
  idempotency_key  text UNIQUE,
  citizen_id       char(18) NOT NULL UNIQUE,
  scheme           text NOT NULL CHECK (scheme IN ('RESIDENT', 'EMPLOYEE')),   -- 城乡居民 / 职工
  status           text NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'ENDED')),
  enrolled_on      date NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
