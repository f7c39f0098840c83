/**
 * The hub's two database roles (server/database-roles.ts, README "Configuration"): migrations run as the owner,
 * the hub serves requests as a runtime role that may only SELECT and INSERT audit_event, so the append-only
 * trigger binds the hub itself. Checked with the hub's own connections: its Prisma client (an isolated database
 * with DATABASE_URL), the embedded default (a hub process without DATABASE_URL, through SQL as its role), and an
 * operator-made role named by HUB_RUNTIME_DATABASE_URL (the README's SQL; an over-privileged one is refused in
 * production).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { provisionRuntimeRole, runtimeRoleName, runtimeRoleProblems, urlAsRole } from '../server/database-roles';
import { loadConfig } from '../server/config';
import { applyMigrations } from '../server/migrate';
import { onServer, withClient } from './helpers/database';
import {
  DEMO_API_KEY,
  DEMO_HEADERS,
  NO_CONNECTORS,
  TEST_AUDIT_HMAC_KEY,
  TEST_LOG_DIR,
  startTestHub,
  type TestHub,
} from './helpers/hub';
import { isolatedHubDatabase, type IsolatedHubDatabase } from './helpers/hub-database';
import { freePort, spawnHub } from './helpers/process';

jest.setTimeout(60_000);

const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

/** What the hub must not be able to do to the audit trail or the schema, with what PostgreSQL answers. */
const FORBIDDEN: Array<[string, string, RegExp]> = [
  ['disable every trigger', 'ALTER TABLE audit_event DISABLE TRIGGER ALL', /must be owner of table audit_event/],
  [
    'disable the append-only trigger',
    'ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only',
    /must be owner of table audit_event/,
  ],
  ['update an event', "UPDATE audit_event SET purpose = 'STATISTICS'", /permission denied for table audit_event/],
  ['delete events', 'DELETE FROM audit_event', /permission denied for table audit_event/],
  ['truncate the trail', 'TRUNCATE audit_event', /permission denied for table audit_event/],
  ['drop the trail', 'DROP TABLE audit_event', /must be owner of table audit_event/],
  ['alter the trail', 'ALTER TABLE audit_event ADD COLUMN forged TEXT', /must be owner of table audit_event/],
  ['create a table', 'CREATE TABLE hub_roles_probe (id INT)', /permission denied for schema public/],
  ['create a temporary table', 'CREATE TEMP TABLE hub_roles_probe (id INT)', /permission denied to create temporary tables/],
  ['bypass triggers by replication role', 'SET session_replication_role = replica', /permission denied to set parameter/],
  ['read the migration history', 'SELECT count(*) FROM _prisma_migrations', /permission denied for table _prisma_migrations/],
  [
    'read the runtime password store',
    'SELECT count(*) FROM hub_roles.runtime_credential',
    /permission denied for schema hub_roles/,
  ],
];

const eventCount = async (query: (sql: string) => Promise<Array<{ n: string }>>) =>
  Number((await query('SELECT count(*) AS n FROM audit_event'))[0]!.n);

/** Who a connection is, as PostgreSQL sees it: its role, whether superuser, whether it is or may act as audit_event's owner. */
const WHO_AM_I = `
  SELECT current_user AS "user", r.rolsuper AS superuser, pg_get_userbyid(c.relowner) AS "tableOwner",
         pg_has_role(current_user, c.relowner, 'MEMBER') AS "actsAsOwner",
         (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) + (SELECT count(*)::int FROM pg_namespace WHERE nspowner = r.oid)
           + (SELECT count(*)::int FROM pg_type WHERE typowner = r.oid) + (SELECT count(*)::int FROM pg_proc WHERE proowner = r.oid) AS owns
    FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_event'::regclass`;
interface Who {
  user: string;
  superuser: boolean;
  tableOwner: string;
  actsAsOwner: boolean;
  owns: number;
}

const ROLES_LOG = `db-roles-${process.pid}`;

const createConsumer = (code: string) => `mutation RolesCreate { createConsumer(input: {
  code: "${code}", name: "Roles probe", department: "测试 Test", purposes: ["STATISTICS"], grants: [{ item: "CA_CARE_INSTITUTIONS" }]
}) { apiKey } }`;

describe('with DATABASE_URL: the hub runs as its provisioned runtime role', () => {
  let isolated: IsolatedHubDatabase;
  let hub: TestHub;

  beforeAll(async () => {
    isolated = await isolatedHubDatabase('roles');
    hub = await startTestHub(isolated.env, {}, { logName: ROLES_LOG });
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    await isolated?.drop();
  });

  it("the hub's current_user is hub_rt_<database>: not the owner, not a superuser, owner of nothing", async () => {
    const [who] = await hub.prisma.$queryRawUnsafe<Who[]>(WHO_AM_I);
    const [owner] = await isolated.query<{ user: string }>('SELECT current_user AS "user"');
    expect(who).toEqual({
      user: runtimeRoleName(databaseOf(isolated.url)),
      superuser: false,
      tableOwner: owner!.user,
      actsAsOwner: false,
      owns: 0,
    });
    expect(hub.runtimeRole).toBe(who!.user);
    expect(await runtimeRoleProblems(hub.runtimeDatabaseUrl)).toEqual([]);
    // The check that guards start-up sees what is wrong with the owner itself.
    expect(await runtimeRoleProblems(isolated.url)).toEqual(
      expect.arrayContaining([expect.stringMatching(/is a superuser/), expect.stringMatching(/owns .*audit_event/)]),
    );
  });

  it('the rate-limit store connects as the runtime role too', async () => {
    expect((await hub.graphql('{ purposes { code } }')).status).toBe(200);
    const users = await isolated.query<{ usename: string }>(
      `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    // The isolated database's own helper pool is the owner's; every other connection is the hub's.
    const [owner] = await isolated.query<{ user: string }>('SELECT current_user AS "user"');
    expect(users.map((u) => u.usename).filter((u) => u !== owner!.user)).toEqual([hub.runtimeRole]);
    expect((await isolated.query<{ n: string }>('SELECT count(*) AS n FROM rate_limit'))[0]!.n).not.toBe('0');
  });

  it.each(FORBIDDEN)("the hub's own connection may not %s", async (_what, sql, refusal) => {
    const before = await eventCount((sql) => isolated.query(sql));
    await expect(hub.prisma.$executeRawUnsafe(sql)).rejects.toThrow(refusal);
    expect(await eventCount((sql) => isolated.query(sql))).toBe(before);
    const [trigger] = await isolated.query<{ enabled: string }>(
      `SELECT tgenabled AS enabled FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass AND tgname = 'audit_event_append_only'`,
    );
    expect(trigger?.enabled).toBe('O');
  });

  it('audited requests still write their events (and the hub still writes its other tables)', async () => {
    const before = await eventCount((sql) => isolated.query(sql));
    const code = `roles-probe-${process.pid}`;
    const created = await hub.graphql<{ createConsumer: { apiKey: string } }, never>(createConsumer(code));
    expect(created.body.errors).toBeUndefined();
    const rotated = await hub.graphql(`mutation RolesRotate { rotateConsumerKey(code: "${code}") { apiKey } }`);
    expect(rotated.body.errors).toBeUndefined();
    const events = await isolated.query<{ operation_name: string; outcome: string; consumer_code: string }>(
      'SELECT operation_name, outcome, consumer_code FROM audit_event WHERE seq > $1 ORDER BY seq',
      [String(before)],
    );
    expect(events).toEqual(
      expect.arrayContaining([
        { operation_name: 'RolesCreate', outcome: 'OK', consumer_code: 'demo' },
        { operation_name: 'RolesRotate', outcome: 'OK', consumer_code: 'demo' },
      ]),
    );
    const verified = await hub.graphql<{ verifyAuditChain: { ok: boolean } }, never>('{ verifyAuditChain { ok } }');
    expect(verified.body.data!.verifyAuditChain.ok).toBe(true);
  });

  it("an administrator's pg_terminate_backend of the hub's idle sessions does not stop it: the next requests are served", async () => {
    // Every pool of the hub holds idle connections now: Prisma's (key lookup, audit) and the rate-limit store's.
    expect((await hub.graphql('{ purposes { code } }')).status).toBe(200);
    const cut = await isolated.query<{ cut: boolean }>(
      `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
        WHERE datname = current_database() AND usename = $1 AND state = 'idle' AND pid <> pg_backend_pid()`,
      [hub.runtimeRole],
    );
    expect(cut.filter((c) => c.cut).length).toBeGreaterThanOrEqual(2);
    // The closed connections' events reach the pools before the next request does.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const query of ['{ purposes { code } }', '{ verifyAuditChain { ok } }']) {
      const answer = await hub.graphql<Record<string, unknown>, never>(query);
      expect({ status: answer.status, errors: answer.body.errors }).toEqual({ status: 200, errors: undefined });
    }
    const lost = fs
      .readFileSync(path.join(TEST_LOG_DIR, `${ROLES_LOG}.log`), 'utf8')
      .split('\n')
      .filter((line) => line.includes('hub database closed an idle connection'))
      .map((line) => (JSON.parse(line) as { pool: string }).pool);
    expect(new Set(lost)).toEqual(new Set(['prisma', 'rate limits']));
  });
});

describe('runtime role names, configuration and clean-up', () => {
  it('HUB_RUNTIME_DATABASE_URL needs DATABASE_URL, and neither URL is echoed when malformed', () => {
    expect(() => loadConfig({ HUB_ENV: 'test', HUB_RUNTIME_DATABASE_URL: 'postgresql://rt:secret@db/hub' })).toThrow(
      /^Invalid configuration: HUB_RUNTIME_DATABASE_URL needs DATABASE_URL/,
    );
    expect(() =>
      loadConfig({ HUB_ENV: 'test', DATABASE_URL: 'postgresql://o@db/hub', HUB_RUNTIME_DATABASE_URL: 'mysql://rt:secret@db' }),
    ).toThrow(/^Invalid configuration: HUB_RUNTIME_DATABASE_URL must be a postgresql:\/\/ connection URL$/);
    expect(
      loadConfig({ HUB_ENV: 'test', DATABASE_URL: 'postgresql://o@db/hub', HUB_RUNTIME_DATABASE_URL: 'postgresql://rt@db/hub' })
        .runtimeDatabaseUrl,
    ).toBe('postgresql://rt@db/hub');
  });

  it('names a role per database, at most 63 characters, distinct for databases that differ only in spelling', () => {
    expect(runtimeRoleName('hub')).toBe('hub_rt_hub');
    const long = runtimeRoleName('x'.repeat(80));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(runtimeRoleName('Hub-1')).not.toBe(runtimeRoleName('hub_1'));
    expect(runtimeRoleName('Hub-1')).toMatch(/^hub_rt_[a-z0-9_]+$/);
    expect(runtimeRoleName('x'.repeat(80) + 'a')).not.toBe(long);
  });

  it('dropping an isolated test database drops its runtime role (roles are cluster-wide)', async () => {
    const isolated = await isolatedHubDatabase('roles_drop');
    const role = runtimeRoleName(databaseOf(isolated.url));
    const server = new URL(isolated.url);
    server.pathname = '/postgres';
    const exists = () =>
      withClient(server.toString(), async (c) => (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount);
    try {
      await provisionRuntimeRole(isolated.url);
      expect(await exists()).toBe(1);
    } finally {
      await isolated.drop();
    }
    expect(await exists()).toBe(0);
  });
});

describe('HUB_RUNTIME_DATABASE_URL: an operator-made runtime role', () => {
  let isolated: IsolatedHubDatabase;
  let role: string;
  let runtimeUrl: string;
  const PASSWORD = 'operator-chosen-password-0123456789';
  const productionHub = () =>
    startTestHub({
      ...isolated.env,
      HUB_ENV: 'production',
      HUB_DEMO_DATA: 'false',
      HUB_DEMO_API_KEY: '',
      HUB_MIGRATE_ON_START: 'false',
      HUB_RUNTIME_DATABASE_URL: runtimeUrl,
    });

  beforeAll(async () => {
    isolated = await isolatedHubDatabase('roles_op');
    role = `${runtimeRoleName(databaseOf(isolated.url))}_op`;
    runtimeUrl = urlAsRole(isolated.url, role, PASSWORD);
    await onServer(isolated.url, `DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
    // README.md, Configuration: the operator's roles (here the test's owner stands in for hub_owner).
    await onServer(
      isolated.url,
      `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD '${PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT`,
    );
    // Migrated by the owner beforehand (npm run db:migrate), the grants as the README gives them.
    await applyMigrations(isolated.url);
    const r = pg.escapeIdentifier(role);
    for (const sql of [
      `GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(databaseOf(isolated.url))} TO ${r}`,
      `GRANT USAGE ON SCHEMA public TO ${r}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
      `REVOKE ALL ON _prisma_migrations FROM ${r}`,
      `REVOKE UPDATE, DELETE ON audit_event FROM ${r}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    ]) {
      await isolated.query(sql);
    }
  }, 120_000);
  afterAll(async () => {
    await isolated?.drop();
    if (role) await onServer(isolated.url, `DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
  });

  it('a production hub runs as that role, and the trail binds it', async () => {
    const hub = await productionHub();
    try {
      expect(hub.runtimeRole).toBe(role);
      const [who] = await hub.prisma.$queryRawUnsafe<Who[]>(WHO_AM_I);
      expect(who).toMatchObject({ user: role, superuser: false, actsAsOwner: false, owns: 0 });
      await expect(hub.prisma.$executeRawUnsafe('ALTER TABLE audit_event DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
      await expect(hub.prisma.$executeRawUnsafe('UPDATE audit_event SET purpose = purpose')).rejects.toThrow(/permission denied/);
    } finally {
      await hub.stop();
    }
  });

  it('a production hub refuses to start when the role may UPDATE or DELETE the trail', async () => {
    await isolated.query(`GRANT UPDATE, DELETE ON audit_event TO ${pg.escapeIdentifier(role)}`);
    try {
      await expect(productionHub()).rejects.toThrow(
        /runtime database role is unsafe: .*may UPDATE, DELETE the append-only table audit_event/,
      );
    } finally {
      await isolated.query(`REVOKE UPDATE, DELETE ON audit_event FROM ${pg.escapeIdentifier(role)}`);
    }
  });

  it('a production hub refuses the owner (or a superuser) as its runtime role', async () => {
    runtimeUrl = isolated.url;
    try {
      await expect(productionHub()).rejects.toThrow(/runtime database role is unsafe: .*is a superuser/);
    } finally {
      runtimeUrl = urlAsRole(isolated.url, role, PASSWORD);
    }
  });
});

describe('the embedded default (no DATABASE_URL)', () => {
  it('provisions hub_rt_hub and serves every request as it; as that role the trail cannot be changed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-embedded-roles-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      HUB_ENV: 'test',
      HUB_SANDBOX_DEPARTMENTS: 'false',
      HUB_CONNECTORS_CONFIG: NO_CONNECTORS,
      HUB_DEMO_API_KEY: DEMO_API_KEY,
      HUB_AUDIT_HMAC_KEY: TEST_AUDIT_HMAC_KEY,
      EMBEDDED_PG_DIR: dataDir,
      EMBEDDED_PG_PORT: String(port),
    };
    delete env.DATABASE_URL;
    delete env.HUB_RUNTIME_DATABASE_URL;
    const hub = spawnHub(env);
    try {
      const url = await hub.listening;
      expect(hub.logs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ msg: 'hub database runtime role', role: 'hub_rt_hub', source: 'provisioned' }),
        ]),
      );
      // The embedded server's superuser (README: the owner connection of the embedded default).
      const ownerUrl = `postgresql://postgres:hub-embedded@127.0.0.1:${port}/hub`;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const owner = (sql: string): Promise<any[]> => withClient(ownerUrl, async (c) => (await c.query(sql)).rows);
      const before = await eventCount(owner);
      const created = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...DEMO_HEADERS },
        body: JSON.stringify({ query: createConsumer('embedded-roles-probe') }),
      });
      expect(created.status).toBe(200);
      expect(await eventCount(owner)).toBe(before + 1);
      const sessions: Array<{ usename: string }> = await owner(
        `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'hub' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      expect(sessions.map((s) => s.usename)).toEqual(['hub_rt_hub']);

      // As the hub's role, with the password the hub uses (kept where only the owner can read it).
      const [credential]: Array<{ password: string }> = await owner(
        `SELECT password FROM hub_roles.runtime_credential WHERE role_name = 'hub_rt_hub'`,
      );
      await withClient(urlAsRole(ownerUrl, 'hub_rt_hub', credential!.password), async (client) => {
        const {
          rows: [who],
        } = await client.query<Who>(WHO_AM_I);
        expect(who).toEqual({ user: 'hub_rt_hub', superuser: false, tableOwner: 'postgres', actsAsOwner: false, owns: 0 });
        for (const [what, sql, refusal] of FORBIDDEN) {
          await expect(client.query(sql).then(() => `${what}: allowed`)).rejects.toThrow(refusal);
        }
        expect(Number((await client.query('SELECT count(*) AS n FROM audit_event')).rows[0].n)).toBe(before + 1);
      });
      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
    } finally {
      if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
      await hub.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
