import fs from 'node:fs';
import { RegionByCodeDocument } from './generated/graphql';
import { hubDatabaseUrl } from './helpers/database';
import { OPS_HEADERS, startTestHub, TEST_LOG_DIR, type TestHub } from './helpers/hub';
import { startTcpProxy, viaProxy, type TcpProxy } from './helpers/tcp-proxy';

// The hub reaches PostgreSQL through a proxy the test can cut, so the database becomes unreachable
// while the hub keeps running.
let proxy: TcpProxy;
let hub: TestHub;

beforeAll(async () => {
  const target = new URL(hubDatabaseUrl());
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  hub = await startTestHub({ DATABASE_URL: viaProxy(hubDatabaseUrl(), proxy), HUB_READY_TIMEOUT_MS: '1500' });
});
afterAll(async () => {
  await hub.stop();
  await proxy.close();
});

async function readyz() {
  const started = Date.now();
  const response = await hub.get('/readyz', OPS_HEADERS);
  const body = (await response.json()) as { status: string; checks: { database: { status: string; reason?: string } } };
  return { status: response.status, body, ms: Date.now() - started };
}

it('flips /readyz to 503 with a reason while the database is unreachable, and back to 200', async () => {
  expect((await readyz()).status).toBe(200);

  await proxy.cut();
  const down = await readyz();
  expect(down.status).toBe(503);
  expect(down.body).toMatchObject({ status: 'not_ready', checks: { database: { status: 'down' } } });
  expect(down.body.checks.database.reason).toEqual(expect.any(String));
  expect(down.body.checks.database.reason).not.toMatch(/postgres(ql)?:\/\//);
  expect(down.ms).toBeLessThan(5000);
  expect((await hub.get('/healthz')).status).toBe(200);

  await proxy.restore();
  let status = 0;
  for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
    status = (await readyz()).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 250));
  }
  expect(status).toBe(200);
});

it('masks a database failure as INTERNAL with a request id that is in the log', async () => {
  await proxy.cut();
  try {
    // Without the hub database the consumer cannot be authenticated: nothing is answered.
    const { status, body, headers } = await hub.graphql(RegionByCodeDocument, { code: '500103' });
    expect(status).toBe(500);
    expect(body.data).toBeUndefined();
    const error = body.errors![0]!;
    expect(error.extensions).toMatchObject({ code: 'INTERNAL' });
    const requestId = headers.get('x-request-id')!;
    expect(error.extensions!.requestId).toBe(requestId);
    expect(error.message).toContain(requestId);
    const serialized = JSON.stringify(body);
    expect(serialized).not.toMatch(/ECONNREFUSED|SELECT|prisma|postgres|stack/i);
    const log = fs.readFileSync(`${TEST_LOG_DIR}/worker-${process.env.JEST_WORKER_ID ?? '0'}.log`, 'utf8');
    expect(log).toContain(`"requestId":"${requestId}"`);
    expect(log).toContain('unexpected error masked as INTERNAL');
  } finally {
    await proxy.restore();
  }
});
