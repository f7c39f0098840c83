/**
 * Settings of the sandbox departments, read from the environment (validated with zod) with documented
 * sandbox defaults. The variable names are the ones the hub's connectors.config.yaml reads, so one environment
 * configures both sides:
 *
 * | variable | default |
 * |---|---|
 * | `PUBLIC_SECURITY_API_KEY`, `HEALTH_API_KEY`, `MEDICAL_INSURANCE_API_KEY`, `SOCIAL_SECURITY_API_KEY` | `dev-<department>-key` |
 * | `PUBLIC_SECURITY_PORT` 4101, `HEALTH_PORT` 4102, `MEDICAL_INSURANCE_PORT` 4103, `SOCIAL_SECURITY_PORT` 4104 | (0 = any free port) |
 * | `CIVIL_AFFAIRS_EXCHANGE_USER`, `EDUCATION_EXCHANGE_USER` | `civil_affairs_reader`, `education_reader` |
 * | `CIVIL_AFFAIRS_EXCHANGE_PASSWORD`, `EDUCATION_EXCHANGE_PASSWORD` | `dev-civil-affairs-exchange`, `dev-education-exchange` |
 * | `DEPARTMENTS_HOST` | `127.0.0.1` |
 * | `DEPARTMENTS_LOG_LEVEL` | `info` |
 * | `SOCIAL_SECURITY_CARD_DELAY_MS` | `3000` (how long after acceptance a card is issued) |
 *
 * Contract: `loadDepartmentsSettings(env)` returns complete settings or throws `DepartmentsConfigError` naming
 * the variable. Secrets are never part of an error message.
 */
import { z } from 'zod';
import { HTTP_DEPARTMENTS, SQL_DEPARTMENTS, type HttpDepartment, type SqlDepartment } from './storage';

export class DepartmentsConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'DepartmentsConfigError';
  }
}

export const DEFAULT_PORTS: Record<HttpDepartment, number> = {
  'public-security': 4101,
  health: 4102,
  'medical-insurance': 4103,
  'social-security': 4104,
};

/** `public-security` → `PUBLIC_SECURITY`. */
export const envPrefix = (department: string) => department.replaceAll('-', '_').toUpperCase();
export const apiKeyVariable = (department: HttpDepartment) => `${envPrefix(department)}_API_KEY`;
export const portVariable = (department: HttpDepartment) => `${envPrefix(department)}_PORT`;
export const readerUserVariable = (department: SqlDepartment) => `${envPrefix(department)}_EXCHANGE_USER`;
export const readerPasswordVariable = (department: SqlDepartment) => `${envPrefix(department)}_EXCHANGE_PASSWORD`;

export const defaultApiKey = (department: HttpDepartment) => `dev-${department}-key`;
export const defaultReaderUser = (department: SqlDepartment) => `${department.replaceAll('-', '_')}_reader`;
export const defaultReaderPassword = (department: SqlDepartment) => `dev-${department}-exchange`;

export interface ReaderCredentials {
  user: string;
  password: string;
}

export interface DepartmentsSettings {
  host: string;
  ports: Record<HttpDepartment, number>;
  apiKeys: Record<HttpDepartment, string>;
  readers: Record<SqlDepartment, ReaderCredentials>;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  cardIssueDelayMs: number;
}

const wholeNumber = (max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `must be ${what} from 0 to ${max}`)
    .transform(Number)
    .pipe(z.number().max(max, `must be ${what} from 0 to ${max}`));
const port = wholeNumber(65535, 'a port number');
const apiKey = z.string().min(8, 'must be at least 8 characters').max(512);
const roleName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL role name');
const password = z.string().min(1).max(256);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function read<T>(env: NodeJS.ProcessEnv, variable: string, schema: z.ZodType<T>, fallback: T, secret = false): T {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const shown = secret ? '' : ` (got "${raw}")`;
  throw new DepartmentsConfigError(variable, `${parsed.error.issues[0]!.message}${shown}`);
}

export function loadDepartmentsSettings(env: NodeJS.ProcessEnv = process.env): DepartmentsSettings {
  const byHttp = <T>(fn: (d: HttpDepartment) => T) =>
    Object.fromEntries(HTTP_DEPARTMENTS.map((d) => [d, fn(d)])) as Record<HttpDepartment, T>;
  const bySql = <T>(fn: (d: SqlDepartment) => T) =>
    Object.fromEntries(SQL_DEPARTMENTS.map((d) => [d, fn(d)])) as Record<SqlDepartment, T>;
  return {
    host: read(env, 'DEPARTMENTS_HOST', z.string().min(1), '127.0.0.1'),
    ports: byHttp((d) => read(env, portVariable(d), port, DEFAULT_PORTS[d])),
    apiKeys: byHttp((d) => read(env, apiKeyVariable(d), apiKey, defaultApiKey(d), true)),
    readers: bySql((d) => ({
      user: read(env, readerUserVariable(d), roleName, defaultReaderUser(d)),
      password: read(env, readerPasswordVariable(d), password, defaultReaderPassword(d), true),
    })),
    logLevel: read(env, 'DEPARTMENTS_LOG_LEVEL', logLevel, 'info'),
    cardIssueDelayMs: read(env, 'SOCIAL_SECURITY_CARD_DELAY_MS', wholeNumber(600_000, 'milliseconds'), 3000),
  };
}

/** The reader credentials from the environment, with the sandbox defaults. */
export function readerCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<SqlDepartment, ReaderCredentials> {
  return loadDepartmentsSettings(env).readers;
}
