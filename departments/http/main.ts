/**
 * Process entry of one HTTP department:
 *   node --import tsx departments/http/main.ts <department> [--port N] [--host H]
 *
 * Database: DEPARTMENTS_DATABASE_URL, else derived from the hub's DATABASE_URL (departments/database.ts); it must
 * already be prepared (`npm run departments` prepares it). API key: `<DEPARTMENT>_API_KEY` (config.ts; default
 * `dev-<department>-key`). Port and host default to `<DEPARTMENT>_PORT` / DEPARTMENTS_HOST.
 *
 * Contract: logs one JSON line `department listening` with the base URL, and when started with an IPC channel
 * (departments/supervisor.ts) sends `{type:"listening",url}` or `{type:"failed",message}`. Stops gracefully on
 * SIGTERM, SIGINT or when the parent's IPC channel closes (the parent died). Exit status: 0 after a clean
 * stop, 1 when it cannot start, 2 for a configuration error.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DepartmentsConfigError, loadDepartmentsSettings } from '../config';
import { departmentsDatabaseUrl } from '../database';
import { createDepartmentLogger } from '../logger';
import { HTTP_DEPARTMENTS } from '../storage';
import { startDepartmentService } from './service';

export type DepartmentProcessMessage = { type: 'listening'; url: string } | { type: 'failed'; message: string };

function fail(status: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.send?.({ type: 'failed', message } satisfies DepartmentProcessMessage);
  process.exit(status);
}

function readArguments() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, host: { type: 'string' } },
  });
  const department = z.enum(HTTP_DEPARTMENTS).safeParse(positionals[0]);
  if (!department.success) fail(2, `usage: departments/http/main.ts <${HTTP_DEPARTMENTS.join('|')}> [--port N] [--host H]`);
  const port = values.port === undefined ? undefined : z.coerce.number().int().min(0).max(65535).safeParse(values.port);
  if (port && !port.success) fail(2, 'Invalid argument: --port must be a port number (0 = any free port)');
  return { department: department.data, port: port?.data, host: values.host };
}

async function main(): Promise<void> {
  const args = readArguments();
  let settings;
  try {
    settings = loadDepartmentsSettings();
  } catch (error) {
    if (error instanceof DepartmentsConfigError) fail(2, error.message);
    throw error;
  }
  const hubUrl = process.env.DATABASE_URL;
  if (!process.env.DEPARTMENTS_DATABASE_URL && !hubUrl)
    fail(2, 'Invalid configuration: set DEPARTMENTS_DATABASE_URL or DATABASE_URL');
  const databaseUrl = departmentsDatabaseUrl(hubUrl ?? '');
  const logger = createDepartmentLogger(settings.logLevel, `department:${args.department}`);

  const service = await startDepartmentService({
    department: args.department,
    databaseUrl,
    apiKey: settings.apiKeys[args.department],
    host: args.host ?? settings.host,
    port: args.port ?? settings.ports[args.department],
    logger,
    cardIssueDelayMs: settings.cardIssueDelayMs,
  }).catch((error: Error) => fail(1, `${args.department} failed to start: ${error.message}`));
  logger.info({ url: service.url }, 'department listening');
  process.send?.({ type: 'listening', url: service.url } satisfies DepartmentProcessMessage);

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'department stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    service.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('disconnect', () => stop('parent gone'));
}

void main();
