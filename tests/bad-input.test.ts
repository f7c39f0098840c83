/**
 * Text the hub cannot hold, through the HTTP endpoint: a NUL character (U+0000) in any argument, as a literal or
 * a variable, at any depth, is 400 BAD_USER_INPUT naming the argument (reason NUL_CHARACTER) before any resolver
 * runs, never an INTERNAL error from the database (server/text-input.ts). Nothing is written for such a request.
 */
import { startTestHub, type TestHub } from './helpers/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const NEW_CONSUMER = `nul-test-${process.pid}`;
const gql = (query: string, variables?: Record<string, unknown>) => hub.graphql<Json, Record<string, unknown>>(query, variables);

describe('a NUL character in an argument', () => {
  it.each([
    [
      'sharingCatalog(ownerDepartment:) as a variable',
      'query ($d: String) { sharingCatalog(ownerDepartment: $d) { code } }',
      { d: 'health\u0000' },
      'ownerDepartment',
    ],
    [
      'sharingCatalog(ownerDepartment:) as a literal',
      '{ sharingCatalog(ownerDepartment: "he\\u0000alth") { code } }',
      {},
      'ownerDepartment',
    ],
    [
      'auditEvents(filter: {consumer}) as a variable',
      'query ($c: String) { auditEvents(filter: { consumer: $c }) { totalCount } }',
      { c: '\u0000' },
      'filter.consumer',
    ],
    [
      'auditEvents(filter:) as an input object variable',
      'query ($f: AuditEventFilter) { auditEvents(filter: $f) { totalCount } }',
      { f: { purpose: 'DEMO', consumer: 'demo\u0000' } },
      'filter.consumer',
    ],
    [
      'a variable default',
      'query ($c: String = "x\\u0000") { auditEvents(filter: { consumer: $c }) { totalCount } }',
      {},
      'filter.consumer',
    ],
    [
      'an argument inside a fragment',
      'query { ...F } fragment F on Query { sharingCatalog(ownerDepartment: "\\u0000") { code } }',
      {},
      'ownerDepartment',
    ],
    [
      'a list item deep in a mutation input',
      'mutation ($i: ConsumerInput!) { createConsumer(input: $i) { apiKey } }',
      {
        i: {
          code: NEW_CONSUMER,
          name: '测试',
          department: '测试',
          purposes: ['STATISTICS'],
          grants: [{ item: 'PS_DEMOGRAPHICS', purposes: ['STATISTICS', 'X\u0000'] }],
        },
      },
      'input.grants.purposes',
    ],
  ])('is BAD_USER_INPUT naming it: %s', async (_label, query, variables, field) => {
    const { status, headers, body } = await gql(query, variables);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, reason: 'NUL_CHARACTER' });
    // No event for this request (other suites append to the shared trail meanwhile: a count would see theirs).
    const requestId = headers.get('x-request-id');
    expect(requestId).toEqual(expect.any(String));
    expect(await hub.prisma.auditEvent.count({ where: { requestId: requestId! } })).toBe(0);
    expect(await hub.prisma.consumer.count({ where: { code: NEW_CONSUMER } })).toBe(0);
  });

  it('leaves the same requests without it answered as before', async () => {
    const catalogue = await gql('query ($d: String) { sharingCatalog(ownerDepartment: $d) { code } }', { d: 'health' });
    expect(catalogue.body.errors).toBeUndefined();
    expect(catalogue.body.data!.sharingCatalog.length).toBeGreaterThan(0);
    const events = await gql('query ($c: String) { auditEvents(filter: { consumer: $c }) { totalCount } }', {
      c: 'nobody-by-this-code',
    });
    expect(events.body).toEqual({ data: { auditEvents: { totalCount: 0 } } });
  });
});
