/**
 * Request budgets shared by hub instances: two hub processes on one database (and on Redis) allow a consumer its
 * limit once, not once each; an address that keeps presenting wrong keys is refused before any key lookup.
 */
import { Redis } from 'ioredis';
import { createConsumer } from '../resolvers/consumers';
import { createPrismaClient } from '../prisma/client';
import { consumerHeaders, DEMO_API_KEY, NO_CONNECTORS, startTestHub, TEST_AUDIT_HMAC_KEY } from './helpers/hub';
import { isolatedHubDatabase, type IsolatedHubDatabase } from './helpers/hub-database';
import { spawnHub, type HubProcess } from './helpers/process';

const QUERY = JSON.stringify({ query: '{ region(code: "500103") { name } }' });

async function statusesOf(urls: string[], headers: Record<string, string>): Promise<number[]> {
  const statuses: number[] = [];
  for (const url of urls) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: QUERY,
    });
    statuses.push(response.status);
  }
  return statuses;
}

describe.each([
  ['the hub database (default)', 'postgres'],
  ['Redis', 'redis://127.0.0.1:6379'],
])('one consumer limit across two hub processes, counted in %s', (_name, store) => {
  let database: IsolatedHubDatabase;
  const hubs: HubProcess[] = [];
  /** A new consumer with its own limit per minute, made in the hub database both processes share. */
  const consumerLimitedTo = async (rateLimitPerMinute: number) => {
    const prisma = createPrismaClient(database.url);
    return createConsumer(prisma, {
      code: `limit-${rateLimitPerMinute}-${Date.now()}`,
      name: `Limit ${rateLimitPerMinute}`,
      department: '测试 Test',
      purposes: ['STATISTICS'],
      rateLimitPerMinute,
      grants: [{ item: 'CA_CARE_INSTITUTIONS' }],
    }).finally(() => prisma.$disconnect());
  };
  /** The points the store holds for a key (Redis keys carry the hub's prefix). */
  const storedPoints = async (redisKey: string, tableKey: string): Promise<number> => {
    if (store === 'postgres') {
      return Number(
        (await database.query<{ points: number }>('SELECT points FROM rate_limit WHERE key = $1', [tableKey]))[0]?.points,
      );
    }
    const redis = new Redis(store);
    try {
      return Number(await redis.get(redisKey));
    } finally {
      redis.disconnect();
    }
  };

  beforeAll(async () => {
    database = await isolatedHubDatabase(`rate_${store === 'postgres' ? 'pg' : 'redis'}`);
    const env = {
      ...process.env,
      ...database.env,
      PORT: '0',
      HUB_ENV: 'test',
      HUB_SANDBOX_DEPARTMENTS: 'false',
      HUB_DEMO_API_KEY: DEMO_API_KEY,
      HUB_AUDIT_HMAC_KEY: TEST_AUDIT_HMAC_KEY,
      HUB_RATE_LIMIT_STORE: store,
      HUB_CONNECTORS_CONFIG: NO_CONNECTORS,
    };
    hubs.push(spawnHub(env));
    await hubs[0]!.listening; // the first applies the migrations, then the second starts on the same database
    hubs.push(spawnHub(env));
    await hubs[1]!.listening;
  }, 120_000);

  afterAll(async () => {
    for (const hub of hubs) hub.child.kill('SIGTERM');
    await Promise.all(hubs.map((hub) => hub.exited));
    await database?.drop();
  });

  it('answers 6 of 8 requests alternating between the processes when the limit is 6 per minute', async () => {
    const { apiKey } = await consumerLimitedTo(6);
    const [first, second] = await Promise.all(hubs.map((hub) => hub.listening));
    const statuses = await statusesOf(
      [first!, second!, first!, second!, first!, second!, first!, second!],
      consumerHeaders(apiKey, 'STATISTICS'),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });

  it('a busier consumer (400 a minute) is counted from leases of 4 points, and both processes admit at most 400', async () => {
    const { consumer, apiKey } = await consumerLimitedTo(400);
    const [first, second] = await Promise.all(hubs.map((hub) => hub.listening));
    const headers = consumerHeaders(apiKey, 'STATISTICS');
    expect(await statusesOf([first!], headers)).toEqual([200]);
    // One request took a lease of 4 points from the store, which every process counts against.
    expect(await storedPoints(`hub:consumer:400:${consumer.id}`, `consumer:400:${consumer.id}`)).toBe(4);
    const statuses = await statusesOf(
      Array.from({ length: 420 }, (_, i) => (i % 3 === 0 ? second! : first!)),
      headers,
    );
    const admitted = 1 + statuses.filter((s) => s === 200).length;
    // Never more than the limit; at most a lease less one per process left unused.
    expect(admitted).toBeLessThanOrEqual(400);
    expect(admitted).toBeGreaterThanOrEqual(400 - 2 * 3);
    expect(statuses.slice(-15)).toEqual(Array(15).fill(429));
  });
});

describe('failed authentications per client address', () => {
  let database: IsolatedHubDatabase;
  let hub: Awaited<ReturnType<typeof startTestHub>>;

  beforeAll(async () => {
    database = await isolatedHubDatabase('auth_failures');
    hub = await startTestHub({ ...database.env, HUB_AUTH_FAILURES_PER_MINUTE: '5' });
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    await database?.drop();
  });

  it('refuses the address with 429 after 5 wrong keys in a minute', async () => {
    // A consumer's valid key, looked up (and kept by this instance) before the guessing starts: next test.
    const valid = { authorization: `Bearer ${DEMO_API_KEY}`, 'x-purpose': 'DEMO' };
    expect((await hub.graphql('{ purposes { code } }', undefined, valid)).status).toBe(200);
    const wrong = { authorization: 'Bearer wrong-key-0123456789abcdef', 'x-purpose': 'DEMO' };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await hub.graphql('{ purposes { code } }', undefined, wrong)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);

    const refused = await hub.graphql('{ purposes { code } }', undefined, wrong);
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      reason: 'TOO_MANY_FAILED_AUTHENTICATIONS',
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('still admits a consumer whose valid key this instance knows, from the blocked address', async () => {
    // The demo key was looked up (and kept) before the guessing of the test above blocked the address.
    const valid = { authorization: `Bearer ${DEMO_API_KEY}`, 'x-purpose': 'DEMO' };
    expect((await hub.graphql('{ purposes { code } }', undefined, valid)).status).toBe(200);
    const wrong = { authorization: 'Bearer another-wrong-key-0123456789', 'x-purpose': 'DEMO' };
    expect((await hub.graphql('{ purposes { code } }', undefined, wrong)).status).toBe(429);
    expect((await hub.graphql('{ purposes { code } }', undefined, valid)).status).toBe(200);
    expect((await hub.graphql('{ purposes { code } }', undefined, wrong)).status).toBe(429);
  });
});
