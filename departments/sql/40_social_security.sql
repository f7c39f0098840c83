-- 人社 HR & social security: social security card applications 社保卡申领.
CREATE SCHEMA IF NOT EXISTS social_security;

CREATE TABLE IF NOT EXISTS social_security.card_application (
  application_id   text PRIMARY KEY,
  idempotency_key  text UNIQUE,
  citizen_id       char(18) NOT NULL UNIQUE,
  status           text NOT NULL CHECK (status IN ('ACCEPTED', 'ISSUED', 'REJECTED')),
  card_number      text,                                -- set when ISSUED
  reject_reason    text,
  applied_on       date NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
