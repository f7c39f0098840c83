import { spawn } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { ConfigError, HUB_NODE_FLAGS, loadConfig } from '../server/config';

const ROOT = path.resolve(__dirname, '..');

describe('loadConfig', () => {
  it('is production unless told otherwise: no demo, the operator secret required, all interfaces', () => {
    expect(() => loadConfig({})).toThrow(/^Invalid configuration: HUB_AUDIT_HMAC_KEY must be set in production/);
    const config = loadConfig({ HUB_AUDIT_HMAC_KEY: 'k'.repeat(32) });
    expect(config).toMatchObject({
      port: 4000,
      env: 'production',
      host: '0.0.0.0',
      demoData: false,
      demoApiKey: null,
      sandboxDepartments: false,
    });
    expect(config.database).toMatchObject({ kind: 'embedded', port: 54329 });
  });

  it('demo mode is opted into, listens on 127.0.0.1 and has no published secret', () => {
    const config = loadConfig({ HUB_ENV: 'development' });
    expect(config).toMatchObject({
      env: 'development',
      host: '127.0.0.1',
      demoData: true,
      sandboxDepartments: true,
      migrateOnStart: true,
    });
    expect(config.auditHmacKey).toBeNull();
    expect(loadConfig({ HUB_ENV: 'development', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('uses an operator database when DATABASE_URL is set, and no demo data in production', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://hub@db.internal:5432/hub',
      HUB_ENV: 'production',
      HUB_AUDIT_HMAC_KEY: 'k'.repeat(32),
    });
    expect(config.database).toEqual({ kind: 'external', url: 'postgresql://hub@db.internal:5432/hub' });
    expect(config.demoData).toBe(false);
  });

  it('creates the demo consumer with the documented key in demo mode, and an explicit key wins', () => {
    const demo = { HUB_ENV: 'development' };
    expect(loadConfig(demo).demoApiKey).toBe('demo-yilao-yixiao-hub-key'); // as README.md documents it
    expect(loadConfig({ ...demo, HUB_DEMO_API_KEY: 'my-own-demo-key-123456' }).demoApiKey).toBe('my-own-demo-key-123456');
    expect(loadConfig({ ...demo, HUB_DEMO_DATA: 'false' }).demoApiKey).toBeNull();
  });

  it.each([
    [
      { HUB_DEMO_API_KEY: 'my-own-demo-key-123456', HUB_DEMO_DATA: 'false', HUB_AUDIT_HMAC_KEY: 'k'.repeat(32) },
      'HUB_DEMO_API_KEY',
    ],
    [{ HUB_DEMO_DATA: 'true', HUB_AUDIT_HMAC_KEY: 'k'.repeat(32) }, 'HUB_DEMO_DATA'],
    [{}, 'HUB_AUDIT_HMAC_KEY'],
  ])('refuses production with a demo consumer or without an audit key (%j)', (env, variable) => {
    expect(() => loadConfig({ HUB_ENV: 'production', ...env })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ HUB_ENV: 'test', PORT: '', DATABASE_URL: '' })).toMatchObject({
      port: 4000,
      database: { kind: 'embedded' },
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['HUB_ENV', 'staging'],
    ['LOG_LEVEL', 'verbose'],
    ['DATABASE_URL', 'mysql://root@localhost/hub'],
    ['HUB_DEMO_DATA', 'yes'],
    ['EMBEDDED_PG_PORT', '-1'],
  ])('rejects %s=%s with an error naming the variable', (variable, value) => {
    expect(() => loadConfig({ HUB_ENV: 'test', [variable]: value })).toThrow(ConfigError);
    try {
      loadConfig({ HUB_ENV: 'test', [variable]: value });
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('never echoes a database URL (it may hold a password) in the error', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:secret@db/hub' })).toThrow(/^(?!.*secret)/);
  });
});

describe("the hub's Node flags", () => {
  it('are those of the service command in README.md and of npm start', () => {
    const root = path.resolve(__dirname, '..');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const start = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts
      .start;
    expect(HUB_NODE_FLAGS.length).toBeGreaterThan(0);
    expect(readme).toContain(`\`node ${HUB_NODE_FLAGS.join(' ')} --import tsx server/main.ts\``);
    expect(start).toBe(`node ${HUB_NODE_FLAGS.join(' ')} --import tsx demo/main.ts`);
  });
});

describe('npm start with a bad configuration value', () => {
  it('stops at once with exit status 2 and one line naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'not-a-port' },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT .*not-a-port/)]);
    expect(stdout).toBe('');
  });
});

describe('the service entry point (server/main.ts) without configuration', () => {
  it('refuses to start in production without the operator secret, before touching anything', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HUB_')));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^Invalid configuration: HUB_AUDIT_HMAC_KEY must be set in production/);
  });
});
