/**
 * Run-time control of the sandbox departments' injected faults (for tests, demos and operators).
 *
 * Contract:
 * - `setFaults(url, department, patch)` changes only the switches named in `patch` (others keep their value;
 *   a department without a row starts from no faults), and resolves with the department's resulting faults
 *   once they are in force: for an HTTP department, after every running service of that department has
 *   reloaded them (acknowledged on FAULT_APPLIED_CHANNEL; `FaultsNotAppliedError` if one does not within
 *   `waitMs`); for an SQL department, at once (its views read the switches on every query), and with an
 *   outage its reader's open sessions are terminated after the change is committed.
 * - `clearFaults(url, department?)` turns every switch off for one department or for all of them.
 * - `getFaults(url, department)` reads the switches.
 * Invalid input is an `InvalidFaultsError` and changes nothing.
 */
import pg from 'pg';
import { CONNECTOR_NAMES, type ConnectorName } from '../connectors/department-interface';
import {
  FAULT_APPLIED_CHANNEL,
  FAULT_COLUMNS,
  NO_FAULTS,
  SELECT_FAULTS_SQL,
  departmentNameSchema,
  faultListenerName,
  faultsFromRow,
  faultsPatchSchema,
  type FaultRow,
  type Faults,
} from './faults';
import { HTTP_DEPARTMENTS, type HttpDepartment } from './storage';

export type { Faults } from './faults';

export class InvalidFaultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFaultsError';
  }
}

export class FaultsNotAppliedError extends Error {
  constructor(department: ConnectorName, acknowledged: number, expected: number, waitMs: number) {
    super(`${department}: ${acknowledged} of ${expected} running services applied the faults within ${waitMs} ms`);
    this.name = 'FaultsNotAppliedError';
  }
}

export interface SetFaultsOptions {
  /** How long to wait for the running HTTP services of the department to apply the change (default 5000). */
  waitMs?: number;
}

const isHttpDepartment = (department: ConnectorName): department is HttpDepartment =>
  (HTTP_DEPARTMENTS as readonly string[]).includes(department);

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function parseDepartment(department: string): ConnectorName {
  const parsed = departmentNameSchema.safeParse(department);
  if (!parsed.success) throw new InvalidFaultsError(`unknown department "${department}"`);
  return parsed.data;
}

export async function getFaults(departmentsDbUrl: string, department: ConnectorName): Promise<Faults> {
  const name = parseDepartment(department);
  return withClient(departmentsDbUrl, async (client) => {
    const { rows } = await client.query<FaultRow>(SELECT_FAULTS_SQL, [name]);
    return faultsFromRow(rows[0]).faults;
  });
}

export async function setFaults(
  departmentsDbUrl: string,
  department: ConnectorName,
  patch: Partial<Faults>,
  options: SetFaultsOptions = {},
): Promise<Faults> {
  const name = parseDepartment(department);
  const parsed = faultsPatchSchema.safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidFaultsError(`${issue.path.join('.') || 'faults'}: ${issue.message}`);
  }
  const changes = parsed.data;
  const waitMs = options.waitMs ?? 5000;

  return withClient(departmentsDbUrl, async (client) => {
    // Listen before writing, so no acknowledgement can be missed.
    const acknowledged = new Map<number, bigint>();
    let onAck = () => {};
    client.on('notification', (message) => {
      if (message.channel !== FAULT_APPLIED_CHANNEL || !message.payload) return;
      const ack = JSON.parse(message.payload) as { department?: string; version?: string };
      if (ack.department !== name || typeof ack.version !== 'string') return;
      acknowledged.set(message.processId, BigInt(ack.version));
      onAck();
    });
    await client.query(`LISTEN ${FAULT_APPLIED_CHANNEL}`);
    const { rows: counted } = await client.query<{ listeners: number }>(
      `SELECT count(*)::int AS listeners FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1`,
      [faultListenerName(name)],
    );
    const listeners = isHttpDepartment(name) ? counted[0]!.listeners : 0;

    const switches = Object.keys(changes) as Array<keyof Faults>;
    const columns = switches.map((s) => FAULT_COLUMNS[s]);
    const values: unknown[] = [name, ...switches.map((s) => changes[s])];
    const placeholders = switches.map((_, i) => `$${i + 2}`);
    const updates = [...columns.map((c) => `${c} = EXCLUDED.${c}`), 'updated_at = EXCLUDED.updated_at'];
    await client.query(
      `INSERT INTO sandbox.fault (department, ${[...columns, 'updated_at'].join(', ')})
       VALUES ($1, ${[...placeholders, 'clock_timestamp()'].join(', ')})
       ON CONFLICT (department) DO UPDATE SET ${updates.join(', ')}`,
      values,
    );
    const { rows } = await client.query<FaultRow>(SELECT_FAULTS_SQL, [name]);
    const { faults, version } = faultsFromRow(rows[0]);

    if (faults.outage) {
      // The trigger terminated the reader's sessions inside the transaction; one may have slipped in since.
      await client.query(
        `SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a
           JOIN sandbox.exchange_reader r ON r.role_name = a.usename
          WHERE r.department = $1 AND a.datname = current_database()`,
        [name],
      );
    }

    if (listeners > 0) {
      const target = BigInt(version);
      const applied = () => [...acknowledged.values()].filter((v) => v >= target).length;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new FaultsNotAppliedError(name, applied(), listeners, waitMs)), waitMs);
        onAck = () => {
          if (applied() >= listeners) {
            clearTimeout(timer);
            resolve();
          }
        };
        onAck();
      });
    }
    return faults;
  });
}

export async function clearFaults(
  departmentsDbUrl: string,
  department?: ConnectorName,
  options: SetFaultsOptions = {},
): Promise<void> {
  const departments = department ? [department] : [...CONNECTOR_NAMES];
  for (const name of departments) await setFaults(departmentsDbUrl, name, { ...NO_FAULTS }, options);
}
