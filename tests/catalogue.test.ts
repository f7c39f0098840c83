/**
 * The sharing catalogue in the hub database covers the schema: every field over department data declares its
 * catalogue item (schema/plugins/catalogue.ts), the database holds exactly those declarations, refusable fields
 * are nullable, and `sharingCatalog` / `purposes` / `viewer` tell a consumer what it may read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, GraphQLObjectType, isNonNullType } from 'graphql';
import { schema } from '../schema';
import { CATALOGUE_ITEMS, GROUPING_FIELDS } from '../schema/catalogue-items';
import { catalogueFields } from '../schema/plugins/catalogue';
import { startTestHub, type TestHub } from './helpers/hub';

/** Types that hold no department data: roots, paging, the hub's own records (regions, access, audit). */
const HUB_TYPES = new Set([
  'Query',
  'Mutation',
  'PageInfo',
  'ConnectorStatus',
  'Region',
  'Provenance',
  'CatalogueItem',
  'CatalogueField',
  'Purpose',
  'Consumer',
  'ConsumerGrant',
  'ApiKeyInfo',
  'IssuedApiKey',
  'Viewer',
  'AuditEvent',
  'AuditChainStatus',
  'AuditChainBreak',
  // Indicators are the hub's own computed statistics (no record of a person): region scope and small-count
  // suppression protect them (tests/indicators.test.ts).
  'Indicator',
  'IndicatorTarget',
  'IndicatorIdentity',
  'IndicatorValue',
  'IndicatorSourceAsOf',
  'IndicatorIdentityCheck',
  'IndicatorValueInput',
  'IndicatorRun',
  'ReportedIndicatorValue',
  // The drill-down's own fields (metric, contribution); its records are the catalogued Person and institution types.
  'IndicatorDrillDown',
  // 出生一件事: cases are the hub's own records (the child's name and citizen ID are catalogued, PS_IDENTITY).
  'Subscription',
  'BirthApplication',
  'BirthApplicationChild',
  'BirthApplicationStep',
  'BirthApplicationEvent',
  'BirthApplicationCorrection',
  'BirthIdentifierLineage',
  'BirthApplicationUpdate',
  'BirthApplicationConnection',
  'BirthApplicationEdge',
]);
/** Region's own fields; its statistics (population, elderlyCare, …) are department data. */
const REGION_OWN_FIELDS = new Set(['code', 'name', 'level', 'parent', 'children']);

function departmentFields(): string[] {
  const coordinates: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    if (/(Connection|Edge)$/.test(type.name)) continue;
    for (const field of Object.keys(type.getFields())) {
      const coordinate = `${type.name}.${field}`;
      if (field === 'provenance' || GROUPING_FIELDS.includes(coordinate)) continue;
      if (type.name === 'Region' ? REGION_OWN_FIELDS.has(field) : HUB_TYPES.has(type.name)) continue;
      coordinates.push(coordinate);
    }
  }
  return coordinates.sort();
}

/** The catalogue as the schema declares it: each catalogued field with its one item and mask, read from the built schema. */
const declaredFields = () => catalogueFields(schema);

/** The committed SDL (schema/schema.graphql), as a consumer reads it. */
const publishedSchema = () => buildSchema(fs.readFileSync(path.resolve(__dirname, '..', 'schema', 'schema.graphql'), 'utf8'));

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

describe('sharing catalogue', () => {
  it('holds every schema field over department data, each in the one item it declares', async () => {
    // Every field over department data declares its item (on the field or as its type's default) ...
    const declared = declaredFields();
    const catalogued = new Set(declared.map((field) => field.coordinate));
    const missing = departmentFields().filter((coordinate) => !catalogued.has(coordinate));
    expect(missing).toEqual([]);
    expect(departmentFields().length).toBeGreaterThan(150);
    // ... of the published items, each of which holds fields ...
    const codes = new Set<string>(CATALOGUE_ITEMS.map((item) => item.code));
    expect(declared.filter((field) => !codes.has(field.itemCode))).toEqual([]);
    expect([...codes].filter((code) => !declared.some((field) => field.itemCode === code))).toEqual([]);
    // ... and the database the hub enforces holds exactly those declarations (item and mask of each field).
    const stored = await hub.prisma.catalogueField.findMany();
    const assigned = stored.map((f) => [f.coordinate, f.itemCode, f.mask]).sort();
    expect(assigned).toEqual(declared.map((f) => [f.coordinate, f.itemCode, f.mask]).sort());
  });

  it('has no field that is not in the schema', async () => {
    const stored = await hub.prisma.catalogueField.findMany();
    expect(stored.length).toBeGreaterThan(0);
    const unknown = stored.filter(({ coordinate }) => {
      const [typeName, field] = coordinate.split('.') as [string, string];
      const type = schema.getType(typeName) as GraphQLObjectType | undefined;
      return type?.getFields()[field] === undefined;
    });
    expect(unknown).toEqual([]);
  });

  it('makes every refusable field nullable, so a refusal nulls only that field', async () => {
    // In the published SDL, the one a consumer generates its client from (the catalogue plugin relaxes each
    // refusable field while the schema is built).
    const refusable = await hub.prisma.catalogueField.findMany({ where: { mask: null } });
    expect(refusable.length).toBeGreaterThan(0);
    const published = publishedSchema();
    const notNullable = refusable
      .map(({ coordinate }) => {
        const [typeName, field] = coordinate.split('.') as [string, string];
        const type = published.getType(typeName);
        const definition = type instanceof GraphQLObjectType ? type.getFields()[field] : undefined;
        if (!definition) return `${coordinate} (not in schema/schema.graphql)`;
        return isNonNullType(definition.type) ? `${coordinate}: ${String(definition.type)}` : null;
      })
      .filter((problem) => problem !== null);
    expect(notNullable).toEqual([]);
  });

  it('is listed by sharingCatalog with owner, class, personal flag, fields and the caller’s access', async () => {
    const { body } = await hub.graphql<{ sharingCatalog: Array<Record<string, unknown>> }, Record<string, never>>(
      '{ sharingCatalog { code name nameEn ownerDepartment class personal refusal fields { coordinate mask } } }',
    );
    expect(body.errors).toBeUndefined();
    const items = body.data!.sharingCatalog;
    const identity = items.find((item) => item.code === 'PS_IDENTITY');
    expect(identity).toMatchObject({
      name: '人口身份信息',
      ownerDepartment: 'public-security',
      class: 'CONDITIONAL',
      personal: true,
      refusal: null,
      fields: expect.arrayContaining([
        { coordinate: 'Person.citizenId', mask: 'CITIZEN_ID' },
        { coordinate: 'Person.name', mask: 'NAME' },
      ]),
    });
    expect(new Set(items.map((item) => item.class))).toEqual(new Set(['UNCONDITIONAL', 'CONDITIONAL']));
    const owners = new Set(items.map((item) => item.ownerDepartment));
    expect(owners).toEqual(
      new Set(['public-security', 'civil-affairs', 'health', 'education', 'medical-insurance', 'social-security']),
    );
    const health = await hub.graphql<{ sharingCatalog: Array<{ ownerDepartment: string }> }, Record<string, never>>(
      '{ sharingCatalog(ownerDepartment: "health", class: UNCONDITIONAL) { ownerDepartment code } }',
    );
    expect(health.body.data!.sharingCatalog.length).toBeGreaterThan(0);
    expect(health.body.data!.sharingCatalog.every((item) => item.ownerDepartment === 'health')).toBe(true);
  });

  it('publishes the purposes a request may declare, and who the caller is', async () => {
    const { body } = await hub.graphql<Record<string, unknown>, Record<string, never>>(
      '{ purposes { code name } viewer { code roles purpose purposes regionCode } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.purposes).toEqual(expect.arrayContaining([{ code: 'DEMO', name: '演示' }]));
    expect(body.data!.viewer).toEqual({
      code: 'demo',
      roles: ['ADMIN', 'AUDITOR', 'DEVELOPER'],
      purpose: 'DEMO',
      purposes: ['DEMO'],
      regionCode: null,
    });
  });
});
