-- Every change of the region tree is announced on channel hub_reference_change (payload: the table), delivered at
-- commit, so each hub instance drops the copy of the tree it holds (server/kept-reads.ts).
CREATE OR REPLACE FUNCTION hub_reference_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hub_reference_change', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER region_change_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "region"
  FOR EACH STATEMENT EXECUTE FUNCTION hub_reference_change_notify();
