/**
 * Demo wiring (`npm start` with HUB_SANDBOX_DEPARTMENTS on): starts the sandbox department systems beside the
 * hub, in a database of their own on the hub database's server, loads the synthetic department data when that
 * database is empty, and returns the variables that point connectors.config.yaml at them. The hub then reaches
 * the sandbox only through its connectors, as it would reach the real systems.
 */
import fs from 'node:fs';
import path from 'node:path';
import { departmentsDatabaseUrl, prepareDepartmentsDatabase } from '../departments/database';
import { startSandboxDepartments } from '../departments/supervisor';
import type { Logger } from '../server/logger';

export interface HubSandbox {
  connectorEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startSandboxForHub(
  hubDatabaseUrl: string,
  options: { seed: boolean },
  logger: Logger,
): Promise<HubSandbox> {
  const departmentsDbUrl = departmentsDatabaseUrl(hubDatabaseUrl);
  await prepareDepartmentsDatabase(departmentsDbUrl);
  if (options.seed) {
    const { seedDepartmentsIfEmpty } = await import('../seeds/sandbox');
    const loaded = await seedDepartmentsIfEmpty(departmentsDbUrl);
    if (loaded) logger.info({ scale: loaded.scale }, 'synthetic department data loaded');
  }
  // The departments' own logs go to a file of their own, as a real department's would stay with it.
  const output = { file: path.resolve('.data', 'logs', 'sandbox-departments.log') };
  fs.mkdirSync(path.dirname(output.file), { recursive: true });
  const sandbox = await startSandboxDepartments({ departmentsDbUrl, skipPrepare: true, logger, output });
  logger.info({ departments: Object.keys(sandbox.http).length + Object.keys(sandbox.sql).length }, 'sandbox departments started');
  return { connectorEnv: sandbox.connectorEnv, stop: () => sandbox.stop() };
}
