import { DEMO_HEADERS, OPS_HEADERS, startTestHub, type TestHub } from './helpers/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

async function post(payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(`${hub.url}/graphql`, { method: 'POST', headers: { ...DEMO_HEADERS, ...headers }, body: payload });
  const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
  return { status: response.status, headers: response.headers, body };
}

describe('health endpoints', () => {
  it('GET /healthz answers 200 while the process serves HTTP', async () => {
    const response = await hub.get('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'alive' });
  });

  it('GET /readyz tells anyone only the status; its details and /metrics need the ops key', async () => {
    const bare = await hub.get('/readyz');
    expect(bare.status).toBe(200);
    expect(await bare.json()).toEqual({ status: 'ready' });
    expect(await (await hub.get('/readyz', { authorization: 'Bearer not-the-ops-key-123' })).json()).toEqual({ status: 'ready' });
    const metrics = await hub.get('/metrics');
    expect(metrics.status).toBe(401);
    expect(await metrics.text()).not.toContain('hub_connector');
    expect((await hub.get('/metrics', { authorization: 'Bearer not-the-ops-key-123' })).status).toBe(401);
    expect((await hub.get('/metrics', OPS_HEADERS)).status).toBe(200);
  });

  it('GET /readyz answers 200 with the database check up (ops key)', async () => {
    const response = await hub.get('/readyz', OPS_HEADERS);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: { database: { latencyMs: unknown } } };
    expect(body).toMatchObject({ status: 'ready', checks: { database: { status: 'up' } } });
    expect(typeof body.checks.database.latencyMs).toBe('number');
  });
});

describe('request ids', () => {
  it("always makes its own X-Request-Id and returns a well-formed client id beside it, marked as the client's", async () => {
    const given = await hub.get('/healthz', { 'x-request-id': 'dept-civil-affairs.42' });
    expect(given.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(given.headers.get('x-client-request-id')).toBe('dept-civil-affairs.42');
    const generated = await hub.get('/healthz', { 'x-request-id': 'bad id with spaces' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers.get('x-client-request-id')).toBeNull();
  });
});

describe('caching', () => {
  it('marks every /graphql answer Cache-Control: no-store, data and refusals alike', async () => {
    const answered = await post(JSON.stringify({ query: '{ regions(level: DISTRICT) { code } }' }));
    expect(answered.status).toBe(200);
    expect(answered.headers.get('cache-control')).toBe('no-store');
    const refused = await post(JSON.stringify({ query: '{ __typename }' }), {
      'content-type': 'application/json',
      authorization: 'Bearer not-a-key-of-anyone-0123',
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});

describe('GraphQL over HTTP errors', () => {
  it('answers a malformed JSON body with 400 BAD_REQUEST in GraphQL error shape', async () => {
    const { status, body } = await post('{"query": ');
    expect(status).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('answers an oversized body with 413 BAD_REQUEST', async () => {
    const { status, body } = await post(JSON.stringify({ query: `{ __typename } #${'x'.repeat(1_100_000)}` }));
    expect(status).toBe(413);
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('answers a document that does not parse with GRAPHQL_PARSE_FAILED', async () => {
    const { status, body } = await post(JSON.stringify({ query: '{ region(code: "500103") { code ' }));
    expect(status).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const { status, body } = await post(JSON.stringify({ query: '{ region(code: "500103") { population } }' }));
    expect(status).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers a missing query with BAD_REQUEST', async () => {
    const { status, body } = await post(JSON.stringify({ variables: {} }));
    expect(status).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('never includes stack traces in error responses', async () => {
    const { body } = await post(JSON.stringify({ query: '{ region(code: "x") { code } }' }));
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('refuses a simple (CSRF-able) form post', async () => {
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { ...DEMO_HEADERS, 'content-type': 'text/plain' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.status).toBe(400);
  });

  it('serves GraphQL GET requests for queries with a JSON accept header', async () => {
    const query = encodeURIComponent('{ region(code: "500103") { name } }');
    const response = await hub.get(`/graphql?query=${query}`, {
      ...DEMO_HEADERS,
      accept: 'application/json',
      'apollo-require-preflight': 'true',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { region: { name: '渝中区' } } });
  });
});
