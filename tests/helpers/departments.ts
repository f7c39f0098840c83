/**
 * A sandbox of the six department systems for one test file: its own departments database (on DATABASE_URL's
 * server), its own reader roles (roles are cluster-wide; an outage switched on here must not lock out another
 * file's sandbox), HTTP departments on free ports, and synthetic data at a small scale. Faults switched on here
 * affect only this sandbox.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { ConnectorName } from '../../connectors/department-interface';
import { clearFaults, setFaults, type Faults } from '../../departments/control';
import { departmentsDatabaseUrl, prepareDepartmentsDatabase } from '../../departments/database';
import { startSandboxDepartments, type RunningSandbox } from '../../departments/supervisor';
import { loadSyntheticData } from '../../seeds/sandbox';
import { hubDatabaseUrl, onServer } from './database';
import { TEST_LOG_DIR } from './hub';

export interface TestDepartments {
  departmentsDbUrl: string;
  sandbox: RunningSandbox;
  connectorEnv: Record<string, string>;
  setFaults(department: ConnectorName, faults: Partial<Faults>): Promise<unknown>;
  clearFaults(department: ConnectorName): Promise<unknown>;
  /** Runs a query on the departments database as its owner (fixtures: finding keys to ask for). */
  query<T extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startTestDepartments(name: string, scale = 0.002): Promise<TestDepartments> {
  const url = new URL(departmentsDatabaseUrl(hubDatabaseUrl(), {}));
  url.pathname += `_${name}`;
  const departmentsDbUrl = url.toString();
  const database = pg.escapeIdentifier(url.pathname.slice(1));
  const tag = `${name}_${process.pid}`;
  const readers = {
    'civil-affairs': { user: `${tag}_civil_affairs_reader`, password: `${tag}-ca` },
    education: { user: `${tag}_education_reader`, password: `${tag}-ed` },
  };
  const dropAll = async () => {
    await onServer(departmentsDbUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    for (const { user } of Object.values(readers))
      await onServer(departmentsDbUrl, `DROP ROLE IF EXISTS ${pg.escapeIdentifier(user)}`);
  };
  await dropAll();
  await prepareDepartmentsDatabase(departmentsDbUrl, { readers });
  await loadSyntheticData(departmentsDbUrl, { scale });
  fs.mkdirSync(TEST_LOG_DIR, { recursive: true });
  const sandbox = await startSandboxDepartments({
    departmentsDbUrl,
    ports: 0,
    readers,
    skipPrepare: true,
    cardIssueDelayMs: 300,
    output: { file: path.join(TEST_LOG_DIR, `departments-${name}.log`) },
  });
  const pool = new pg.Pool({ connectionString: departmentsDbUrl, max: 2 });
  // An idle connection the server closes (a test's pg_terminate_backend) is dropped by the pool, not thrown.
  pool.on('error', () => undefined);
  return {
    departmentsDbUrl,
    sandbox,
    connectorEnv: sandbox.connectorEnv,
    setFaults: (department, faults) => setFaults(departmentsDbUrl, department, faults),
    clearFaults: (department) => clearFaults(departmentsDbUrl, department),
    query: async (sql, values) => (await pool.query(sql, values)).rows,
    async stop() {
      await pool.end();
      await sandbox.stop();
      await dropAll();
    },
  };
}
