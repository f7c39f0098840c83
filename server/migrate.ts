/**
 * Applies the hub's Prisma migrations (prisma/migrations) to a database.
 *
 * Contract: runs `prisma migrate deploy` (the same command an operator runs against production) against
 * `databaseUrl`, with the project's offline schema engine (see prisma.config.ts). Resolves when the database is
 * at the latest migration; rejects with the CLI's own output otherwise. Applying twice is a no-op.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const PROJECT_ROOT = path.resolve(__dirname, '..');

export async function applyMigrations(databaseUrl: string): Promise<void> {
  const cli = require.resolve('prisma/build/index.js', { paths: [PROJECT_ROOT] });
  try {
    await run(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`prisma migrate deploy failed:\n${stdout}${stderr}`.trim());
  }
}
