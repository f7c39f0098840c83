-- Run-time machinery of the sandbox departments (idempotent: applied on every preparation).
--
-- 1. Fault switches reach running services at once: every change to sandbox.fault is announced on the
--    channel `sandbox_fault` (payload: the department). HTTP services LISTEN and reload that department's row.
-- 2. SQL exchange departments: sandbox.exchange_reader names the login role of each exchange schema
--    (written by departments/exchange.ts). Switching `outage` on makes that role NOLOGIN and terminates its
--    sessions in this database; switching it off restores LOGIN.
-- 3. sandbox.exchange_gate(department) is called once per query by every exchange view (an uncorrelated scalar
--    subquery in its WHERE clause, i.e. a one-time filter): it adds the latency, fails the query at the error
--    rate and refuses queries during an outage. It is SECURITY DEFINER so that the reader roles need no access
--    to the sandbox schema.
-- 4. sandbox.command_answer: the idempotency ledger of the HTTP departments' commands (one row per department
--    and Idempotency-Key: which command, a hash of the request, the answer given, the callback address).

-- 1 -----------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION sandbox.announce_fault_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sandbox_fault', CASE WHEN TG_OP = 'DELETE' THEN OLD.department ELSE NEW.department END);
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER fault_announce
  AFTER INSERT OR UPDATE OR DELETE ON sandbox.fault
  FOR EACH ROW EXECUTE FUNCTION sandbox.announce_fault_change();

-- 2 -----------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS sandbox.exchange_reader (
  department  text PRIMARY KEY,        -- 'civil-affairs', 'education'
  role_name   text NOT NULL UNIQUE     -- login role that may SELECT the department's exchange views
);

CREATE OR REPLACE FUNCTION sandbox.apply_exchange_outage() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  reader text;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.outage IS NOT DISTINCT FROM NEW.outage THEN
    RETURN NULL;
  END IF;
  SELECT role_name INTO reader FROM sandbox.exchange_reader WHERE department = NEW.department;
  IF reader IS NULL THEN
    RETURN NULL;
  END IF;
  IF NEW.outage THEN
    EXECUTE format('ALTER ROLE %I NOLOGIN', reader);
    PERFORM pg_terminate_backend(pid)
       FROM pg_stat_activity
      WHERE usename = reader AND datname = current_database() AND pid <> pg_backend_pid();
  ELSE
    EXECUTE format('ALTER ROLE %I LOGIN', reader);
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER fault_exchange_outage
  AFTER INSERT OR UPDATE ON sandbox.fault
  FOR EACH ROW EXECUTE FUNCTION sandbox.apply_exchange_outage();

-- 3 -----------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION sandbox.exchange_gate(p_department text) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  f sandbox.fault%ROWTYPE;
BEGIN
  SELECT * INTO f FROM sandbox.fault WHERE department = p_department;
  IF NOT FOUND THEN
    RETURN true;
  END IF;
  IF f.outage THEN
    RAISE EXCEPTION 'the exchange database is not accepting queries' USING ERRCODE = 'cannot_connect_now';
  END IF;
  IF f.latency_ms > 0 THEN
    PERFORM pg_sleep(f.latency_ms / 1000.0);
  END IF;
  IF f.error_rate > 0 AND random() < f.error_rate THEN
    RAISE EXCEPTION 'exchange database internal error';
  END IF;
  RETURN true;
END
$$;
REVOKE ALL ON FUNCTION sandbox.exchange_gate(text) FROM PUBLIC;

-- 4 -----------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS sandbox.command_answer (
  department       text NOT NULL,
  idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 128),
  command          text NOT NULL,
  request_hash     text NOT NULL,            -- SHA-256 of the command name and the canonical JSON body
  http_status      integer,                  -- null while the first request with this key is being answered
  answer           json,                     -- the body as first sent (json, not jsonb: replays are byte-identical)
  callback_url     text,                     -- X-Callback-Url of the request, for asynchronous answers
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (department, idempotency_key)
);
-- How often the key arrived: command requests (the first and every replay) and reads of the answer by key
-- (GET /v1/commands/<command>). Sandbox instrumentation: tests count what a caller sent.
ALTER TABLE sandbox.command_answer ADD COLUMN IF NOT EXISTS requests integer NOT NULL DEFAULT 1;
ALTER TABLE sandbox.command_answer ADD COLUMN IF NOT EXISTS lookups integer NOT NULL DEFAULT 0;
