-- Indicator definitions, departments' data versions and reported values are kept per hub process between
-- requests (server/kept-reads.ts): every change of them is announced on channel hub_reference_change like the
-- region tree's, so each instance drops what it kept.
CREATE TRIGGER indicator_definition_change_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "indicator_definition"
  FOR EACH STATEMENT EXECUTE FUNCTION hub_reference_change_notify();
CREATE TRIGGER department_data_version_change_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "department_data_version"
  FOR EACH STATEMENT EXECUTE FUNCTION hub_reference_change_notify();
CREATE TRIGGER indicator_reported_value_change_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "indicator_reported_value"
  FOR EACH STATEMENT EXECUTE FUNCTION hub_reference_change_notify();
