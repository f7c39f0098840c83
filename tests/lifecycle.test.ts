import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_API_KEY, DEMO_HEADERS, NO_CONNECTORS } from './helpers/hub';
import { freePort, spawnHub } from './helpers/process';

const REGION_QUERY = JSON.stringify({ query: '{ region(code: "500103") { name children { code } } }' });

async function queryYuzhong(url: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...DEMO_HEADERS },
    body: REGION_QUERY,
  });
  return (await response.json()) as { data: { region: { name: string; children: unknown[] } } };
}

describe('hub process', () => {
  it('serves an operator database (DATABASE_URL) and exits 0 on SIGTERM', async () => {
    const hub = spawnHub({
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      HUB_ENV: 'test',
      HUB_SANDBOX_DEPARTMENTS: 'false',
      HUB_CONNECTORS_CONFIG: NO_CONNECTORS,
      // The test hubs' demo key: setting another one would revoke theirs (one demo key per database).
      HUB_DEMO_API_KEY: DEMO_API_KEY,
    });
    const url = await hub.listening;
    expect((await queryYuzhong(url)).data.region.name).toBe('渝中区');
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    expect(hub.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['hub database migrations applied', 'shutting down']));
  }, 60_000);

  it('without DATABASE_URL starts an embedded PostgreSQL, migrates, seeds, serves, and stops it cleanly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-embedded-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      HUB_ENV: 'test',
      HUB_DEMO_API_KEY: DEMO_API_KEY,
    };
    delete env.DATABASE_URL;
    Object.assign(env, { EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) });
    try {
      const hub = spawnHub(env);
      const url = await hub.listening;
      const body = await queryYuzhong(url);
      expect(body.data.region).toMatchObject({ name: '渝中区' });
      expect(body.data.region.children).toHaveLength(11);
      expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(true);
      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
      // PostgreSQL removes its pid file only after a clean shutdown.
      expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
      expect(hub.logs.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['embedded PostgreSQL started', 'embedded PostgreSQL stopped']),
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
