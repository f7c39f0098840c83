/**
 * The hub database's two roles. The OWNER connection (DATABASE_URL, or the embedded server's superuser) owns
 * the tables: it runs the migrations and provisions the runtime role, nothing else. The hub process itself
 * serves every request as the RUNTIME role, which may only SELECT and INSERT `audit_event` (so the append-only
 * trigger binds the hub too: it can neither UPDATE, DELETE, TRUNCATE nor disable the trigger, which needs the
 * table's owner), read and write its other tables, use their sequences and take advisory locks; it owns
 * nothing, may not create anything, and is no superuser.
 *
 * Contract:
 * - `openRuntimeConnection` (hub start-up): with HUB_RUNTIME_DATABASE_URL, the operator's role is used; its
 *   grants are re-applied through the owner connection when the hub has just migrated, then it is checked.
 *   Without it the hub provisions `hub_rt_<database>` itself through the owner connection (which needs
 *   CREATEROLE or superuser), with a random password kept in the owner-only schema `hub_roles` (so every
 *   process holding the owner connection uses the same one, whatever its other secrets), and re-applies the
 *   grants on every start (new tables appear with migrations). The role is then checked from its own
 *   connection (`runtimeRoleProblems`); in production any problem refuses the start, elsewhere it is logged.
 * - `prepareRuntimeRole` (scripts/with-database.ts, after migrating): the same grants, without checking.
 * - `runtimeRoleName(database)` names the provisioned role (roles are cluster-wide: drop it with the database,
 *   `dropRuntimeRole`).
 * Every identifier is quoted with pg.escapeIdentifier; no value is interpolated into SQL raw.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import type { HubConfig } from './config';
import type { Logger } from './logger';

export const RUNTIME_ROLE_PREFIX = 'hub_rt_';
/** Owner-only schema holding the provisioned role's password (the runtime role has no USAGE on it). */
const CREDENTIAL_SCHEMA = 'hub_roles';
/** Prisma's migration history: the owner's alone. */
const MIGRATIONS_TABLE = '_prisma_migrations';
/** Tables the runtime may only read and append to. */
const APPEND_ONLY_TABLES = new Set(['audit_event']);
const MAX_IDENTIFIER = 63;

const ident = (name: string) => pg.escapeIdentifier(name);

export interface RuntimeConnection {
  /** Connection URL of the role the hub serves requests as. */
  url: string;
  role: string;
  /** How it was obtained: operator-made (HUB_RUNTIME_DATABASE_URL), provisioned by the hub, or the owner (fallback). */
  source: 'operator' | 'provisioned' | 'owner';
}

/** The owner connection cannot create roles (no CREATEROLE): the operator must make the runtime role. */
export class RuntimeRoleUnavailable extends Error {}

/**
 * `hub_rt_<database>`, at most 63 characters. A database name that is not plain lower-case ASCII, or too long,
 * is shortened and suffixed with a hash of the full name, so two databases never share a role.
 */
export function runtimeRoleName(database: string): string {
  const plain = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const name = `${RUNTIME_ROLE_PREFIX}${plain}`;
  if (plain === database && name.length <= MAX_IDENTIFIER) return name;
  const hash = crypto.createHash('sha256').update(database).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER - hash.length - 1)}_${hash}`;
}

/** The schema Prisma uses on `url` (`?schema=`, else public). */
export function schemaOf(url: string): string {
  return new URL(url).searchParams.get('schema') || 'public';
}

/** `url` with another role and password (same server, database and parameters). */
export function urlAsRole(url: string, role: string, password: string): string {
  const other = new URL(url);
  other.username = encodeURIComponent(role);
  other.password = encodeURIComponent(password);
  if (roleOf(other.toString()) !== role) {
    // A URL without a host part (postgresql:///hub?host=/run/postgresql) cannot carry a user name.
    throw new Error(
      'DATABASE_URL needs a host part (e.g. postgresql://owner@localhost/hub) for the hub to connect as its runtime role',
    );
  }
  return other.toString();
}

function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/** The role a connection URL logs in as (the URL may leave the user to the environment or a service file). */
async function currentUser(url: string): Promise<string> {
  return withClient(url, async (client) => (await client.query<{ user: string }>('SELECT current_user AS user')).rows[0]!.user);
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function inTransaction<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    // One provisioning at a time per database: concurrent GRANTs on one table fail ("tuple concurrently updated").
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('hub:runtime-role'))`);
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Exactly the runtime's privileges, whatever it held before: CONNECT, USAGE on the schema; SELECT, INSERT, UPDATE,
 * DELETE on every table of the schema except the append-only ones (SELECT, INSERT) and Prisma's migration
 * history (nothing); USAGE and SELECT on its sequences. Run by the owner connection, inside a transaction.
 */
export async function grantRuntimePrivileges(owner: pg.Client, role: string, schema: string): Promise<void> {
  const { database } = (await owner.query<{ database: string }>('SELECT current_database() AS database')).rows[0]!;
  const r = ident(role);
  const s = ident(schema);
  await owner.query(`GRANT CONNECT ON DATABASE ${ident(database)} TO ${r}`);
  await owner.query(`GRANT USAGE ON SCHEMA ${s} TO ${r}`);
  await owner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${r}`);
  await owner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${r}`);
  const { rows: tables } = await owner.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> $2 ORDER BY 1`,
    [schema, MIGRATIONS_TABLE],
  );
  for (const { name } of tables) {
    const privileges = APPEND_ONLY_TABLES.has(name) ? 'SELECT, INSERT' : 'SELECT, INSERT, UPDATE, DELETE';
    await owner.query(`GRANT ${privileges} ON TABLE ${s}.${ident(name)} TO ${r}`);
  }
  await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`);
}

/**
 * A SCRAM-SHA-256 verifier for `password` (RFC 5802, as PostgreSQL stores it), so the password itself never
 * appears in an ALTER ROLE statement (server logs, pg_stat_statements).
 */
function scramVerifier(password: string): string {
  const salt = crypto.randomBytes(16);
  const iterations = 4096;
  const salted = crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest();
  const storedKey = crypto.createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Creates (or repairs) `hub_rt_<database>` through the owner connection and grants it the runtime's privileges;
 * resolves to its connection URL. Throws RuntimeRoleUnavailable when the owner may not create roles.
 */
export async function provisionRuntimeRole(ownerUrl: string): Promise<RuntimeConnection> {
  const schema = schemaOf(ownerUrl);
  return withClient(ownerUrl, async (owner) => {
    const {
      rows: [me],
    } = await owner.query<{ database: string; user: string; mayCreateRoles: boolean }>(
      `SELECT current_database() AS database, current_user AS user, (rolsuper OR rolcreaterole) AS "mayCreateRoles"
         FROM pg_roles WHERE rolname = current_user`,
    );
    if (!me!.mayCreateRoles) {
      throw new RuntimeRoleUnavailable(`the owner connection's role ${me!.user} may not create roles (needs CREATEROLE)`);
    }
    const role = runtimeRoleName(me!.database);
    const password = await inTransaction(owner, async () => {
      await owner.query(`CREATE SCHEMA IF NOT EXISTS ${ident(CREDENTIAL_SCHEMA)}`);
      await owner.query(`REVOKE ALL ON SCHEMA ${ident(CREDENTIAL_SCHEMA)} FROM PUBLIC`);
      await owner.query(
        `CREATE TABLE IF NOT EXISTS ${ident(CREDENTIAL_SCHEMA)}.runtime_credential
           (role_name TEXT PRIMARY KEY, password TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      await owner.query(`REVOKE ALL ON TABLE ${ident(CREDENTIAL_SCHEMA)}.runtime_credential FROM PUBLIC`);
      const stored = await owner.query<{ password: string }>(
        `SELECT password FROM ${ident(CREDENTIAL_SCHEMA)}.runtime_credential WHERE role_name = $1`,
        [role],
      );
      const password = stored.rows[0]?.password ?? crypto.randomBytes(32).toString('base64url');
      if (!stored.rowCount) {
        await owner.query(`INSERT INTO ${ident(CREDENTIAL_SCHEMA)}.runtime_credential (role_name, password) VALUES ($1, $2)`, [
          role,
          password,
        ]);
      }
      const exists = (await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
      // Every start sets the attributes and the (same) password again: a role someone altered is repaired.
      const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT';
      const verifier = pg.escapeLiteral(scramVerifier(password));
      await owner.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${ident(role)} WITH ${attributes} PASSWORD ${verifier}`);
      await grantRuntimePrivileges(owner, role, schema);
      return password;
    });
    return { url: urlAsRole(ownerUrl, role, password), role, source: 'provisioned' as const };
  });
}

/** Re-applies the operator-made role's grants through the owner connection; resolves to the role's name. */
async function regrantOperatorRole(ownerUrl: string, runtimeUrl: string): Promise<string> {
  const role = await currentUser(runtimeUrl);
  if (role === (await currentUser(ownerUrl))) {
    throw new Error(`HUB_RUNTIME_DATABASE_URL logs in as ${role}, the owner connection's own role: it must be another role`);
  }
  await withClient(ownerUrl, (owner) => inTransaction(owner, () => grantRuntimePrivileges(owner, role, schemaOf(ownerUrl))));
  return role;
}

/**
 * What is wrong with the runtime role, checked from its own connection: empty when it is exactly what the hub
 * should run as. Each entry is one sentence naming the problem.
 */
export async function runtimeRoleProblems(runtimeUrl: string): Promise<string[]> {
  const schema = schemaOf(runtimeUrl);
  return withClient(runtimeUrl, async (client) => {
    const problems: string[] = [];
    const {
      rows: [role],
    } = await client.query<{
      name: string;
      superuser: boolean;
      createRole: boolean;
      createDb: boolean;
      bypassRls: boolean;
      replication: boolean;
    }>(
      `SELECT rolname AS name, rolsuper AS superuser, rolcreaterole AS "createRole", rolcreatedb AS "createDb",
              rolbypassrls AS "bypassRls", rolreplication AS replication
         FROM pg_roles WHERE rolname = current_user`,
    );
    const r = role!;
    if (r.superuser) problems.push(`${r.name} is a superuser`);
    if (r.createRole) problems.push(`${r.name} may create roles (CREATEROLE)`);
    if (r.createDb) problems.push(`${r.name} may create databases (CREATEDB)`);
    if (r.bypassRls) problems.push(`${r.name} bypasses row-level security (BYPASSRLS)`);
    if (r.replication) problems.push(`${r.name} is a replication role`);
    // Owning (or being able to act as the owner of) anything means DDL, and the owner may disable triggers.
    const { rows: owned } = await client.query<{ what: string }>(
      `SELECT format('%s %s', kind, name) AS what FROM (
         SELECT 'table' AS kind, c.oid::regclass::text AS name, c.relowner AS owner
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
         UNION ALL SELECT 'schema', nspname, nspowner FROM pg_namespace WHERE nspname = $1
         UNION ALL SELECT 'database', datname, datdba FROM pg_database WHERE datname = current_database()
         UNION ALL SELECT 'type', t.oid::regtype::text, t.typowner
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1
         UNION ALL SELECT 'function', p.oid::regprocedure::text, p.proowner
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
       ) o WHERE pg_has_role(current_user, o.owner, 'MEMBER') ORDER BY 1 LIMIT 5`,
      [schema],
    );
    for (const { what } of owned) problems.push(`${r.name} owns (or is a member of the owner of) ${what}`);
    const {
      rows: [creates],
    } = await client.query<{ schema: boolean; database: boolean }>(
      `SELECT has_schema_privilege($1, 'CREATE') AS schema, has_database_privilege(current_database(), 'CREATE') AS database`,
      [schema],
    );
    if (creates!.schema) problems.push(`${r.name} may create objects in schema ${schema}`);
    if (creates!.database) problems.push(`${r.name} may create schemas in the database`);
    const { rows: tables } = await client.query<{
      name: string;
      s: boolean;
      i: boolean;
      u: boolean;
      d: boolean;
      t: boolean;
      tr: boolean;
    }>(
      `SELECT c.relname AS name, has_table_privilege(c.oid, 'SELECT') AS s, has_table_privilege(c.oid, 'INSERT') AS i,
              has_table_privilege(c.oid, 'UPDATE') AS u, has_table_privilege(c.oid, 'DELETE') AS d,
              has_table_privilege(c.oid, 'TRUNCATE') AS t, has_table_privilege(c.oid, 'TRIGGER') AS tr
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> $2 ORDER BY 1`,
      [schema, MIGRATIONS_TABLE],
    );
    if (!tables.some((t) => APPEND_ONLY_TABLES.has(t.name)))
      problems.push(`no audit_event table in schema ${schema} (not migrated?)`);
    for (const t of tables) {
      if (APPEND_ONLY_TABLES.has(t.name)) {
        if (!t.s || !t.i) problems.push(`${r.name} may not SELECT and INSERT ${t.name}`);
        const excess = [t.u && 'UPDATE', t.d && 'DELETE', t.t && 'TRUNCATE', t.tr && 'TRIGGER'].filter(Boolean);
        if (excess.length) problems.push(`${r.name} may ${excess.join(', ')} the append-only table ${t.name}`);
      } else if (!t.s || !t.i || !t.u || !t.d) {
        problems.push(`${r.name} lacks SELECT, INSERT, UPDATE or DELETE on ${t.name}`);
      }
    }
    const { rows: sequences } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND CASE WHEN c.relkind = 'S' THEN NOT has_sequence_privilege(c.oid, 'USAGE') ELSE false END
        ORDER BY 1`,
      [schema],
    );
    for (const { name } of sequences) problems.push(`${r.name} lacks USAGE on sequence ${name}`);
    const { rows: triggers } = await client.query<{ enabled: string }>(
      `SELECT tgenabled AS enabled FROM pg_trigger
        WHERE tgrelid = to_regclass(format('%I.%I', $1::text, 'audit_event')) AND tgname = 'audit_event_append_only'`,
      [schema],
    );
    if (tables.some((t) => t.name === 'audit_event') && !['O', 'A'].includes(triggers[0]?.enabled ?? '')) {
      problems.push('the append-only trigger on audit_event is missing or disabled');
    }
    return problems;
  });
}

/**
 * After migrating (scripts/with-database.ts): the runtime role's grants, for the operator's role when
 * HUB_RUNTIME_DATABASE_URL names one, else the hub's own (created if missing). Resolves to the role's name, or
 * null when the owner may not create roles (the hub then decides at start what to do).
 */
export async function prepareRuntimeRole(ownerUrl: string, runtimeUrl: string | null): Promise<string | null> {
  if (runtimeUrl) return regrantOperatorRole(ownerUrl, runtimeUrl);
  try {
    return (await provisionRuntimeRole(ownerUrl)).role;
  } catch (error) {
    if (error instanceof RuntimeRoleUnavailable) return null;
    throw error;
  }
}

/**
 * Hub start-up, after the migrations: the connection every hub-side pool uses (Prisma, the rate-limit store).
 * `migrated` says whether this start ran the migrations through `ownerUrl` (then an operator's role is granted
 * again, since new tables may have appeared).
 */
export async function openRuntimeConnection(
  config: HubConfig,
  ownerUrl: string,
  migrated: boolean,
  logger: Logger,
): Promise<RuntimeConnection> {
  const production = config.env === 'production';
  let runtime: RuntimeConnection;
  if (config.runtimeDatabaseUrl) {
    const role = migrated
      ? await regrantOperatorRole(ownerUrl, config.runtimeDatabaseUrl)
      : await currentUser(config.runtimeDatabaseUrl);
    runtime = { url: config.runtimeDatabaseUrl, role, source: 'operator' };
  } else {
    try {
      runtime = await provisionRuntimeRole(ownerUrl);
    } catch (error) {
      if (!(error instanceof RuntimeRoleUnavailable)) throw error;
      const advice = 'create a runtime role as README.md (Configuration) says and set HUB_RUNTIME_DATABASE_URL';
      if (production) throw new Error(`cannot provision the hub's runtime database role: ${error.message}; ${advice}`);
      logger.warn(
        { reason: error.message },
        `hub runs as the database owner: the audit trail's append-only trigger does not bind it; ${advice}`,
      );
      return { url: ownerUrl, role: roleOf(ownerUrl) || (await currentUser(ownerUrl)), source: 'owner' };
    }
  }
  const problems = await runtimeRoleProblems(runtime.url);
  if (problems.length > 0) {
    if (production) throw new Error(`the hub's runtime database role is unsafe: ${problems.join('; ')}`);
    logger.warn({ role: runtime.role, problems }, 'the hub runtime database role is unsafe (a production hub refuses to start)');
  }
  logger.info({ role: runtime.role, source: runtime.source }, 'hub database runtime role');
  return runtime;
}

/** Drops the provisioned role of `database` (after the database itself), through a connection to its server. */
export async function dropRuntimeRole(serverUrl: string, database: string): Promise<void> {
  await withClient(serverUrl, (client) => client.query(`DROP ROLE IF EXISTS ${ident(runtimeRoleName(database))}`));
}
