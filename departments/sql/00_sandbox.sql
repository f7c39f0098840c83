-- Sandbox control schema, shared by the six sandbox departments (never by a real department).
-- Holds the fault switches that tests and demos flip at run time. Only the sandbox owner writes here.
CREATE SCHEMA IF NOT EXISTS sandbox;

CREATE TABLE IF NOT EXISTS sandbox.fault (
  department      text PRIMARY KEY,          -- 'public-security', 'health', 'medical-insurance', 'social-security', 'civil-affairs', 'education'
  latency_ms      integer NOT NULL DEFAULT 0 CHECK (latency_ms BETWEEN 0 AND 600000),
  error_rate      real    NOT NULL DEFAULT 0 CHECK (error_rate BETWEEN 0 AND 1),
  outage          boolean NOT NULL DEFAULT false,
  malformed_rate  real    NOT NULL DEFAULT 0 CHECK (malformed_rate BETWEEN 0 AND 1),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Added after the first release: a sandbox database prepared before it gains the column here.
ALTER TABLE sandbox.fault ADD COLUMN IF NOT EXISTS
  lost_answer_rate real NOT NULL DEFAULT 0 CHECK (lost_answer_rate BETWEEN 0 AND 1);

-- Which synthetic data set the sandbox holds (seeds/sandbox.ts): a hub starting on an older one reloads it.
CREATE TABLE IF NOT EXISTS sandbox.dataset (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version    integer NOT NULL,
  scale      double precision NOT NULL,
  seed       bigint NOT NULL,
  loaded_at  timestamptz NOT NULL DEFAULT now()
);
