/**
 * Starts the sandbox department systems: prepares the departments database (storage schemas, exchange
 * schemas and reader roles) and runs each HTTP department as its own child process
 * (departments/http/main.ts).
 *
 * Contract: `startSandboxDepartments(options)` resolves once every HTTP department listens, with their base URLs
 * and API keys, the SQL exchange connection details, `connectorEnv` (the variables connectors.config.yaml
 * reads, pointing at this sandbox) and `stop()`, which SIGTERMs every child, waits for them (SIGKILL after
 * 10 s) and is safe to call more than once. If one department fails to start, the others are stopped and the
 * promise rejects with `DepartmentStartError` naming it. Children exit by themselves if this process dies
 * (their IPC channel closes). A child that exits later is reported through `onExit` (default: logged).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import {
  apiKeyVariable,
  envPrefix,
  loadDepartmentsSettings,
  readerPasswordVariable,
  type DepartmentsSettings,
  type ReaderCredentials,
} from './config';
import { prepareDepartmentsDatabase } from './database';
import { exchangeSchemaName } from './exchange';
import type { DepartmentProcessMessage } from './http/main';
import { HTTP_DEPARTMENTS, SQL_DEPARTMENTS, type HttpDepartment, type SqlDepartment } from './storage';

const DEPARTMENT_MAIN = path.join(__dirname, 'http', 'main.ts');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export class DepartmentStartError extends Error {
  constructor(department: HttpDepartment, reason: string) {
    super(`sandbox department ${department} failed to start: ${reason}`);
    this.name = 'DepartmentStartError';
  }
}

export interface SandboxOptions {
  /** The departments database (departmentsDatabaseUrl(hub DATABASE_URL)). */
  departmentsDbUrl: string;
  /** Ports of the HTTP departments: 0 = every one on a free port; default: the environment, else 4101..4104. */
  ports?: 0 | Partial<Record<HttpDepartment, number>>;
  host?: string;
  apiKeys?: Partial<Record<HttpDepartment, string>>;
  readers?: Partial<Record<SqlDepartment, ReaderCredentials>>;
  cardIssueDelayMs?: number;
  /** Where the children's JSON logs go: this process's stdout/stderr (default), nowhere, or appended to a file. */
  output?: 'inherit' | 'ignore' | { file: string };
  /** Skip preparing the database (it is already prepared). */
  skipPrepare?: boolean;
  /** Settings from the environment (default: process.env); options above override them. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  onExit?: (department: HttpDepartment, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface HttpDepartmentEndpoint {
  baseUrl: string;
  apiKey: string;
}

export interface SqlDepartmentEndpoint {
  /** postgresql:// URL of the reader role, password included. */
  connectionString: string;
  user: string;
  password: string;
  schema: string;
}

export interface RunningSandbox {
  departmentsDbUrl: string;
  http: Record<HttpDepartment, HttpDepartmentEndpoint>;
  sql: Record<SqlDepartment, SqlDepartmentEndpoint>;
  /** `PUBLIC_SECURITY_URL`, `PUBLIC_SECURITY_API_KEY`, …, `CIVIL_AFFAIRS_EXCHANGE_URL` (no password), `…_PASSWORD`. */
  connectorEnv: Record<string, string>;
  stop(): Promise<void>;
}

function resolveSettings(options: SandboxOptions): DepartmentsSettings {
  const settings = loadDepartmentsSettings(options.env ?? process.env);
  const ports =
    options.ports === 0 ? { 'public-security': 0, health: 0, 'medical-insurance': 0, 'social-security': 0 } : options.ports;
  return {
    ...settings,
    host: options.host ?? settings.host,
    ports: { ...settings.ports, ...ports },
    apiKeys: { ...settings.apiKeys, ...options.apiKeys },
    readers: { ...settings.readers, ...options.readers },
    cardIssueDelayMs: options.cardIssueDelayMs ?? settings.cardIssueDelayMs,
  };
}

interface Child {
  department: HttpDepartment;
  process: ChildProcess;
  exited: Promise<void>;
}

function spawnDepartment(
  department: HttpDepartment,
  settings: DepartmentsSettings,
  options: SandboxOptions,
  stdio: 'inherit' | 'ignore' | number,
): { child: Child; listening: Promise<string> } {
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    DEPARTMENTS_DATABASE_URL: options.departmentsDbUrl,
    DEPARTMENTS_LOG_LEVEL: settings.logLevel,
    SOCIAL_SECURITY_CARD_DELAY_MS: String(settings.cardIssueDelayMs),
    [apiKeyVariable(department)]: settings.apiKeys[department],
  };
  const processHandle = spawn(
    process.execPath,
    ['--import', 'tsx', DEPARTMENT_MAIN, department, '--port', String(settings.ports[department]), '--host', settings.host],
    { env, stdio: ['ignore', stdio, stdio, 'ipc'], cwd: path.resolve(__dirname, '..') },
  );
  const exited = new Promise<void>((resolve) => processHandle.once('exit', () => resolve()));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new DepartmentStartError(department, `not listening after ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    processHandle.on('message', (message: DepartmentProcessMessage) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolve(message.url);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new DepartmentStartError(department, message.message));
      }
    });
    processHandle.once('error', (error) => {
      clearTimeout(timer);
      reject(new DepartmentStartError(department, error.message));
    });
    processHandle.once('exit', (code) => {
      clearTimeout(timer);
      reject(new DepartmentStartError(department, `exited with status ${code}`));
    });
  });
  listening.catch(() => undefined);
  return { child: { department, process: processHandle, exited }, listening };
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const killer = setTimeout(() => child.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await child.exited;
  clearTimeout(killer);
}

function sqlEndpoint(departmentsDbUrl: string, department: SqlDepartment, reader: ReaderCredentials): SqlDepartmentEndpoint {
  const url = new URL(departmentsDbUrl);
  url.username = encodeURIComponent(reader.user);
  url.password = encodeURIComponent(reader.password);
  url.search = '';
  return {
    connectionString: url.toString(),
    user: reader.user,
    password: reader.password,
    schema: exchangeSchemaName(department),
  };
}

/** The connection string without its password, for printing and for connector configuration. */
export function withoutPassword(connectionString: string): string {
  const url = new URL(connectionString);
  url.password = '';
  return url.toString();
}

export async function startSandboxDepartments(options: SandboxOptions): Promise<RunningSandbox> {
  const settings = resolveSettings(options);
  if (!options.skipPrepare) await prepareDepartmentsDatabase(options.departmentsDbUrl, { readers: settings.readers });

  const output = options.output ?? 'inherit';
  const fd = typeof output === 'object' ? fs.openSync(output.file, 'a') : undefined;
  const stdio = fd ?? (output as 'inherit' | 'ignore');
  const started = HTTP_DEPARTMENTS.map((department) => spawnDepartment(department, settings, options, stdio));
  if (fd !== undefined) fs.closeSync(fd);
  const children = started.map((s) => s.child);

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= Promise.all(children.map(stopChild)).then(() => undefined));

  let urls: string[];
  try {
    urls = await Promise.all(started.map((s) => s.listening));
  } catch (error) {
    await stop();
    throw error;
  }
  for (const child of children) {
    child.process.once('exit', (code, signal) => {
      if (stopping) return;
      if (options.onExit) options.onExit(child.department, code, signal);
      else options.logger?.error({ department: child.department, code, signal }, 'sandbox department exited');
    });
  }

  const http = Object.fromEntries(
    HTTP_DEPARTMENTS.map((d, i) => [d, { baseUrl: urls[i]!, apiKey: settings.apiKeys[d] }]),
  ) as Record<HttpDepartment, HttpDepartmentEndpoint>;
  const sql = Object.fromEntries(
    SQL_DEPARTMENTS.map((d) => [d, sqlEndpoint(options.departmentsDbUrl, d, settings.readers[d])]),
  ) as Record<SqlDepartment, SqlDepartmentEndpoint>;
  const connectorEnv: Record<string, string> = {};
  for (const d of HTTP_DEPARTMENTS) {
    connectorEnv[`${envPrefix(d)}_URL`] = http[d].baseUrl;
    connectorEnv[apiKeyVariable(d)] = http[d].apiKey;
  }
  for (const d of SQL_DEPARTMENTS) {
    connectorEnv[`${envPrefix(d)}_EXCHANGE_URL`] = withoutPassword(sql[d].connectionString);
    connectorEnv[readerPasswordVariable(d)] = sql[d].password;
  }
  return { departmentsDbUrl: options.departmentsDbUrl, http, sql, connectorEnv, stop };
}
