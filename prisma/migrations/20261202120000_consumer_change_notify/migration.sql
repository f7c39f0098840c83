-- Every change of a consumer, its keys or its grants is announced on channel hub_consumer_change (PostgreSQL
-- delivers it at commit), so each hub instance drops the key lookups it caches (server/access/consumer-keys.ts)
-- and a revoked or suspended key is refused on every instance within moments, not after the cache's TTL.
CREATE OR REPLACE FUNCTION hub_consumer_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hub_consumer_change', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER consumer_change_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "consumer"
  FOR EACH STATEMENT EXECUTE FUNCTION hub_consumer_change_notify();
CREATE TRIGGER api_key_change_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "api_key"
  FOR EACH STATEMENT EXECUTE FUNCTION hub_consumer_change_notify();
CREATE TRIGGER consumer_grant_change_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "consumer_grant"
  FOR EACH STATEMENT EXECUTE FUNCTION hub_consumer_change_notify();
