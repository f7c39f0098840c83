-- The hub runs as a runtime role that may not create anything (server/database-roles.ts). PostgreSQL before 15
-- lets every role (PUBLIC) create objects in schema public, and every version lets PUBLIC create temporary
-- tables; neither is the runtime's to have. The owner keeps both (an owner's privileges are not PUBLIC's), and
-- a migrating role that is not the schema's or database's owner only gets a warning here, never an error.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END;
$$;
