/**
 * `npm run departments`: runs the sandbox department systems on their own.
 *
 * Prepares the departments database (DEPARTMENTS_DATABASE_URL, else the hub's DATABASE_URL with the suffix
 * `_departments`), starts public security, health, medical insurance and social security as child processes
 * (ports 4101..4104 unless `<DEPARTMENT>_PORT` says otherwise; departments/config.ts), prints their base URLs and
 * the SQL exchange connection strings (secrets only when they are the documented sandbox defaults), and stops
 * them all on SIGTERM/SIGINT. If a department process dies, the others are stopped and the exit status is 1.
 *
 * Programmatic use: `startSandboxDepartments` (re-exported from departments/supervisor.ts).
 */
import {
  DepartmentsConfigError,
  apiKeyVariable,
  defaultApiKey,
  defaultReaderPassword,
  loadDepartmentsSettings,
  readerPasswordVariable,
} from './config';
import { departmentsDatabaseUrl } from './database';
import { createDepartmentLogger } from './logger';
import { HTTP_DEPARTMENTS, SQL_DEPARTMENTS } from './storage';
import { startSandboxDepartments, withoutPassword, type RunningSandbox } from './supervisor';

export { startSandboxDepartments } from './supervisor';
export type { RunningSandbox, SandboxOptions } from './supervisor';

function summary(sandbox: RunningSandbox): string {
  const lines = [`Sandbox departments ready (database ${withoutPassword(sandbox.departmentsDbUrl)}):`];
  for (const d of HTTP_DEPARTMENTS) {
    const { baseUrl, apiKey } = sandbox.http[d];
    const key = apiKey === defaultApiKey(d) ? `default key ${apiKey}` : `key from ${apiKeyVariable(d)}`;
    lines.push(`  ${d.padEnd(18)} ${baseUrl.padEnd(48)} Authorization: Bearer <${key}>`);
  }
  for (const d of SQL_DEPARTMENTS) {
    const { connectionString, password, schema } = sandbox.sql[d];
    const shown = password === defaultReaderPassword(d) ? connectionString : withoutPassword(connectionString);
    const note = password === defaultReaderPassword(d) ? '' : ` (password from ${readerPasswordVariable(d)})`;
    lines.push(`  ${d.padEnd(18)} ${shown}  schema ${schema}${note}`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  let settings;
  try {
    settings = loadDepartmentsSettings();
  } catch (error) {
    if (error instanceof DepartmentsConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const hubUrl = process.env.DATABASE_URL;
  if (!process.env.DEPARTMENTS_DATABASE_URL && !hubUrl) {
    process.stderr.write('Invalid configuration: set DEPARTMENTS_DATABASE_URL or DATABASE_URL (a PostgreSQL server URL)\n');
    return 2;
  }
  const logger = createDepartmentLogger(settings.logLevel, 'sandbox-departments');
  let exitWith: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (exitWith = resolve));
  const sandbox = await startSandboxDepartments({
    departmentsDbUrl: departmentsDatabaseUrl(hubUrl ?? ''),
    logger,
    onExit: (department, code, signal) => {
      logger.error({ department, code, signal }, 'sandbox department exited; stopping the others');
      exitWith(1);
    },
  });
  process.stdout.write(summary(sandbox));
  process.on('SIGTERM', () => exitWith(0));
  process.on('SIGINT', () => exitWith(0));
  const code = await finished;
  await sandbox.stop();
  return code;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
