/**
 * Audit as a declared property of fields (schema/plugins/catalogue.ts): which fields make their request audited,
 * derived from the built schema, and what the declarations do at run time.
 *
 * - Every field over personal data (in a personal catalogue item, or returning a type that holds personal data)
 *   is audited as `personal`, and no other field is; every Mutation field and every field guarded by the admin or
 *   auditor scope declares `administration`, `audit-trail` or `privileged`. The audited root fields are written
 *   out below, so that adding, dropping or changing one is a visible decision.
 * - Run time: a refused filter over a personal item, reading the trail, and a refused privileged attempt are
 *   audited; verifyAuditChain and listing consumers as an administrator, and requests over hub data, are not.
 */
import { getNamedType, GraphQLObjectType, type GraphQLField } from 'graphql';
import { createConsumer } from '../resolvers/consumers';
import { schema } from '../schema';
import { CATALOGUE_ITEMS } from '../schema/catalogue-items';
import { auditOf, catalogueOf } from '../schema/plugins/catalogue';
import { consumerHeaders, DEMO_HEADERS, startTestHub, type TestHub } from './helpers/hub';

jest.setTimeout(60_000);

/** The root fields whose resolution audits the request, and how (`privileged`: a refused attempt only). */
const AUDITED_ROOT_FIELDS = {
  'Mutation.createConsumer': 'administration',
  'Mutation.notifyDepartmentChange': 'administration',
  'Mutation.reportIndicatorValue': 'administration',
  'Mutation.rotateConsumerKey': 'administration',
  'Mutation.setCatalogueItemClass': 'administration',
  'Mutation.setConsumerStatus': 'administration',
  'Mutation.updateConsumer': 'administration',
  'Mutation.updateIndicatorDefinition': 'administration',
  'Query.auditEvents': 'audit-trail',
  'Query.connectors': 'privileged',
  'Query.consumers': 'privileged',
  'Query.indicatorDrillDown': 'personal',
  'Query.person': 'personal',
  'Query.persons': 'personal',
  'Query.verifyAuditChain': 'privileged',
  'Mutation.submitBirthApplication': 'personal',
  'Mutation.correctBirthApplication': 'personal',
  'Mutation.cancelBirthApplication': 'personal',
  'Query.birthApplication': 'personal',
  'Query.birthApplications': 'personal',
  'Subscription.birthApplicationUpdated': 'personal',
};

/** Joint-service mutations act on the case's people: audited as personal (the write's own audit event is in its transaction). */
const PERSONAL_MUTATIONS = new Set([
  'Mutation.submitBirthApplication',
  'Mutation.correctBirthApplication',
  'Mutation.cancelBirthApplication',
]);

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);
const PRIVILEGED_SCOPES = ['admin', 'auditor'];
const PERSONAL_ITEMS = new Set<string>(CATALOGUE_ITEMS.filter((item) => item.personal).map((item) => item.code));

type Field = GraphQLField<unknown, unknown>;

function objectFields(): Array<{ coordinate: string; type: GraphQLObjectType; field: Field }> {
  return Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => type instanceof GraphQLObjectType && !type.name.startsWith('__'))
    .flatMap((type) =>
      Object.values(type.getFields()).map((field) => ({ coordinate: `${type.name}.${field.name}`, type, field })),
    );
}

const inPersonalItem = (field: Field) => PERSONAL_ITEMS.has(catalogueOf(field)?.item ?? '');

/** Types holding personal data: a field in a personal item, or a field returning such a type (to a fixpoint). */
function personalTypes(): Set<string> {
  const personal = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const { type, field } of objectFields()) {
      if (ROOTS.has(type.name) || personal.has(type.name)) continue;
      if (inPersonalItem(field) || personal.has(getNamedType(field.type).name)) {
        personal.add(type.name);
        grew = true;
      }
    }
  }
  return personal;
}

const scopesOf = (field: Field): string[] => {
  const options = field.extensions.pothosOptions as { authScopes?: Record<string, unknown> } | undefined;
  return Object.keys(options?.authScopes ?? {});
};

describe('audit declarations (from the built schema)', () => {
  it('audits every field over personal data as personal, and no other field', () => {
    const personal = personalTypes();
    expect([...personal]).toEqual(
      expect.arrayContaining(['Person', 'Household', 'ElderlyProfile', 'PersonHealth', 'PersonConnection']),
    );
    const overPersonalData = objectFields()
      .filter(({ field }) => inPersonalItem(field) || personal.has(getNamedType(field.type).name))
      .map(({ coordinate }) => coordinate);
    expect(overPersonalData.length).toBeGreaterThan(80);
    const undeclared = objectFields()
      .filter(({ coordinate, field }) => overPersonalData.includes(coordinate) && auditOf(field) !== 'personal')
      .map(({ coordinate, field }) => `${coordinate}: ${auditOf(field) ?? 'declares nothing'}`);
    expect(undeclared).toEqual([]);
    const stray = objectFields()
      .filter(({ coordinate, field }) => auditOf(field) === 'personal' && !overPersonalData.includes(coordinate))
      .map(({ coordinate }) => coordinate);
    expect(stray).toEqual([]);
  });

  it('makes every mutation and every admin- or auditor-guarded field declare how it is audited', () => {
    const privileged = objectFields().filter(
      ({ type, field }) => type.name === 'Mutation' || scopesOf(field).some((scope) => PRIVILEGED_SCOPES.includes(scope)),
    );
    expect(privileged.length).toBeGreaterThanOrEqual(8);
    const undeclared = privileged
      .filter(
        ({ coordinate, field }) =>
          !['administration', 'audit-trail', 'privileged'].includes(auditOf(field) ?? '') &&
          !(PERSONAL_MUTATIONS.has(coordinate) && auditOf(field) === 'personal'),
      )
      .map(({ coordinate, field }) => `${coordinate}: ${auditOf(field) ?? 'declares nothing'}`);
    expect(undeclared).toEqual([]);
  });

  it('audits exactly the root fields listed here', () => {
    const declared = Object.fromEntries(
      objectFields()
        .filter(({ type, field }) => ROOTS.has(type.name) && auditOf(field) !== undefined)
        .map(({ coordinate, field }) => [coordinate, auditOf(field)]),
    );
    expect(declared).toEqual(AUDITED_ROOT_FIELDS);
  });
});

describe('audit declarations at run time', () => {
  let hub: TestHub;
  let outsider: string;
  let auditor: string;
  const suffix = `${process.pid}`;

  beforeAll(async () => {
    hub = await startTestHub();
    const plain = { department: '测试 Test', purposes: ['STATISTICS', 'SUPERVISION'] };
    outsider = (await createConsumer(hub.prisma, { ...plain, code: `audit-decl-outsider-${suffix}`, name: 'Outsider' })).apiKey;
    auditor = (
      await createConsumer(hub.prisma, { ...plain, code: `audit-decl-auditor-${suffix}`, name: 'Auditor', roles: ['AUDITOR'] })
    ).apiKey;
  });
  afterAll(() => hub.stop());

  /** The audit event the request wrote, or null. */
  async function eventOf(query: string, headers: Record<string, string>) {
    const response = await hub.graphql<Record<string, unknown>, Record<string, never>>(query, undefined, headers);
    expect(response.status).toBe(200);
    const event = await hub.prisma.auditEvent.findFirst({ where: { requestId: response.headers.get('x-request-id')! } });
    return { body: response.body, event };
  }

  it('audits a list refused for a filter over a personal item (no department is asked)', async () => {
    const { body, event } = await eventOf(
      '{ persons(first: 1, filter: { elderly: { minimumLiving: true } }) { totalCount } }',
      consumerHeaders(outsider, 'STATISTICS'),
    );
    expect(body.errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      field: 'filter.elderly',
      catalogueItem: 'CA_ELDERLY_PROFILE',
    });
    expect(event).toMatchObject({ consumerCode: `audit-decl-outsider-${suffix}`, outcome: 'FAILED', subjects: [] });
  });

  it('audits a refused privileged attempt, but neither verifying the chain nor an administrator listing consumers', async () => {
    const refusedVerify = await eventOf('{ verifyAuditChain { ok } }', consumerHeaders(outsider, 'STATISTICS'));
    expect(refusedVerify.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_REQUIRED' });
    expect(refusedVerify.event).toMatchObject({ outcome: 'FAILED' });
    const refusedList = await eventOf('{ consumers { code } }', consumerHeaders(outsider, 'STATISTICS'));
    expect(refusedList.event).toMatchObject({ outcome: 'FAILED' });

    const verified = await eventOf('{ verifyAuditChain { ok } }', consumerHeaders(auditor, 'SUPERVISION'));
    expect(verified.body.errors).toBeUndefined();
    expect(verified.event).toBeNull();
    const listed = await eventOf('{ consumers { code } }', DEMO_HEADERS);
    expect(listed.body.errors).toBeUndefined();
    expect(listed.event).toBeNull();
  });

  it('audits reading the trail, and not a request over hub data only', async () => {
    const read = await eventOf('{ auditEvents(first: 1) { totalCount } }', consumerHeaders(auditor, 'SUPERVISION'));
    expect(read.body.errors).toBeUndefined();
    expect(read.event).toMatchObject({ consumerCode: `audit-decl-auditor-${suffix}`, outcome: 'OK' });
    const viewer = await eventOf('{ viewer { code } purposes { code } }', consumerHeaders(outsider, 'STATISTICS'));
    expect(viewer.body.errors).toBeUndefined();
    expect(viewer.event).toBeNull();
  });
});
