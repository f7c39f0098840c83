-- 公安 public security: household registration 户籍, residence, birth registration 出生登记.
CREATE SCHEMA IF NOT EXISTS public_security;

CREATE TABLE IF NOT EXISTS public_security.person (
  citizen_id         char(18) PRIMARY KEY,               -- GB 11643-1999, valid MOD 11-2 check digit
  name               text NOT NULL,
  sex                char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date         date NOT NULL,                      -- agrees with citizen_id digits 7-14
  ethnicity          text NOT NULL DEFAULT '汉族',
  phone              text,                               -- 11-digit mobile, may be null
  region_code        char(12) NOT NULL,                  -- community (12-digit statistical code) of residence
  address            text NOT NULL,                      -- full address 重庆市渝中区…街道…社区…号
  household_id       text NOT NULL,                      -- 户号
  household_head_id  char(18) NOT NULL,                  -- citizen_id of the household head (may be self)
  relation_to_head   text NOT NULL,                      -- 户主, 配偶, 子, 女, 父, 母, 孙子, 孙女, 其他
  -- 户籍/常住: REGISTERED_RESIDENT = 户籍常住; RESIDENT_ONLY = 常住非户籍 (registered elsewhere);
  -- REGISTERED_ONLY = 户籍非常住 (registered here, living elsewhere). 常住 population = first two.
  residence_type     text NOT NULL CHECK (residence_type IN ('REGISTERED_RESIDENT', 'RESIDENT_ONLY', 'REGISTERED_ONLY')),
  registered_on      date NOT NULL,                      -- 户籍登记日期 (RESIDENT_ONLY: 居住登记日期)
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS person_region_idx ON public_security.person (region_code);
-- Birth date with the region: "people of an age in a region" (the hub's person search and its totalCount)
-- is counted from this index alone, without visiting the rows.
DROP INDEX IF EXISTS public_security.person_birth_idx;
CREATE INDEX IF NOT EXISTS person_birth_region_idx ON public_security.person (birth_date, region_code);
CREATE INDEX IF NOT EXISTS person_household_idx ON public_security.person (household_id);

CREATE TABLE IF NOT EXISTS public_security.birth_registration (
  registration_id     text PRIMARY KEY,                  -- 'PSBR' + 12 digits
  idempotency_key     text NOT NULL UNIQUE,
  certificate_number  text NOT NULL UNIQUE,              -- 出生医学证明编号 from health
  citizen_id          char(18) NOT NULL UNIQUE REFERENCES public_security.person (citizen_id),
  status              text NOT NULL CHECK (status IN ('REGISTERED', 'REJECTED')),
  reject_reason       text,
  registered_at       timestamptz NOT NULL DEFAULT now()
);
