/**
 * The offline Prisma toolchain, exercised the way a developer uses it: no test here reaches the internet,
 * and the schema engine is the project's WebAssembly stand-in (prisma/engine/schema-engine.mjs).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { databaseOnServer, hubDatabaseUrl, onServer, withClient } from './helpers/database';
import { PROJECT_ROOT } from './helpers/process';

const exec = promisify(execFile);
const PRISMA_CLI = path.join(PROJECT_ROOT, 'node_modules', 'prisma', 'build', 'index.js');

async function prisma(cwd: string, databaseUrl: string, ...args: string[]) {
  return exec(process.execPath, [PRISMA_CLI, ...args], {
    cwd,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
}

const serverUrl = (database: string) => databaseOnServer(hubDatabaseUrl(), database);
const admin = (sql: string) => onServer(hubDatabaseUrl(), sql);

describe('offline Prisma migrations', () => {
  const scratchDb = `hub_migration_test_${process.pid}`;
  let workDir: string;

  beforeAll(async () => {
    // A copy of the project's Prisma files, so creating a migration does not touch the real prisma/migrations.
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-prisma-'));
    for (const entry of ['prisma.config.ts', 'prisma/schema.prisma', 'prisma/migrations', 'prisma/engine']) {
      fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(workDir, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(workDir, 'node_modules'));
    await admin(`DROP DATABASE IF EXISTS ${scratchDb} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${scratchDb}`);
  });

  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${scratchDb} WITH (FORCE)`);
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('the committed migrations produce exactly prisma/schema.prisma (no missing migration)', async () => {
    const result = await prisma(
      PROJECT_ROOT,
      serverUrl(scratchDb),
      'migrate',
      'diff',
      '--from-migrations',
      'prisma/migrations',
      '--to-schema',
      'prisma/schema.prisma',
      '--exit-code',
    );
    expect(result.stdout).toMatch(/No difference detected|empty migration/i);
  }, 60_000);

  it('applies the migrations to an empty database; a second deploy is a no-op', async () => {
    const first = await prisma(workDir, serverUrl(scratchDb), 'migrate', 'deploy');
    expect(first.stdout).toMatch(/applied|All migrations have been successfully applied/i);
    const status = await prisma(workDir, serverUrl(scratchDb), 'migrate', 'status');
    expect(status.stdout).toContain('Database schema is up to date');
    const second = await prisma(workDir, serverUrl(scratchDb), 'migrate', 'deploy');
    expect(second.stdout).toContain('No pending migrations to apply');
  }, 60_000);

  it('creates a migration from a schema change (needs a shadow database) and applies it', async () => {
    const schemaFile = path.join(workDir, 'prisma', 'schema.prisma');
    const schema = fs.readFileSync(schemaFile, 'utf8');
    fs.writeFileSync(
      schemaFile,
      schema.replace('  name       String\n', '  name       String\n  shortName  String? @map("short_name")\n'),
    );
    await prisma(workDir, serverUrl(scratchDb), 'migrate', 'dev', '--create-only', '--name', 'add_short_name');
    const created = fs.readdirSync(path.join(workDir, 'prisma', 'migrations')).filter((d) => d.endsWith('_add_short_name'));
    expect(created).toHaveLength(1);
    const sql = fs.readFileSync(path.join(workDir, 'prisma', 'migrations', created[0]!, 'migration.sql'), 'utf8');
    expect(sql).toMatch(/ALTER TABLE "region" ADD COLUMN\s+"short_name" TEXT;/);
    await prisma(workDir, serverUrl(scratchDb), 'migrate', 'deploy');
    const { rows } = await withClient(serverUrl(scratchDb), (client) =>
      client.query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'region' AND column_name = 'short_name'",
      ),
    );
    expect(rows).toHaveLength(1);
  }, 120_000);

  it("reports an unreachable database with Prisma's P1001, without hanging", async () => {
    await expect(prisma(workDir, 'postgresql://postgres@127.0.0.1:1/nowhere', 'migrate', 'status')).rejects.toMatchObject({
      stderr: expect.stringContaining('P1001'),
    });
  }, 60_000);
});
