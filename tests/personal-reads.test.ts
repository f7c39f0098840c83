/**
 * Personal data a consumer may not read stays unreadable, however it is approached (issue: privacy holes):
 * - a masked citizen ID cannot be completed from anything else the same consumer may read (table over the item
 *   combinations a consumer can hold without PS_IDENTITY: the attacker's candidates for the number stay many);
 * - returning a person in any form (a field, `provenance`, `extensions.lineage`, `__typename` of a list's
 *   node, membership in a filtered list) writes an audit event naming the people.
 */
import { createHmac } from 'node:crypto';
import { createConsumer } from '../resolvers/consumers';
import { CATALOGUE_ITEMS } from '../schema/catalogue-items';
import { SHOWCASE } from '../seeds/showcase';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { consumerHeaders, DEMO_HEADERS, startTestHub, TEST_AUDIT_HMAC_KEY, type TestHub } from './helpers/hub';

jest.setTimeout(60_000);

// Raw query texts: responses are read as plain JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let departments: TestDepartments;
let hub: TestHub;
const suffix = `${process.pid}`;
const PURPOSE = 'ELDERLY_CARE_SERVICE';

/** Every catalogue item but the identity item (the published definition), each approved for the purpose. */
const ALL_BUT_IDENTITY = CATALOGUE_ITEMS.map((item) => item.code).filter((code) => code !== 'PS_IDENTITY');

beforeAll(async () => {
  departments = await startTestDepartments('personal');
  hub = await startTestHub({ HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml') }, departments.connectorEnv);
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
});

async function consumerWith(code: string, items: string[]): Promise<Record<string, string>> {
  const { apiKey } = await createConsumer(hub.prisma, {
    code: `${code}-${suffix}`,
    name: code,
    department: '测试 Test',
    purposes: [PURPOSE],
    grants: items.map((item) => ({ item, purposes: [PURPOSE] })),
  });
  return consumerHeaders(apiKey, PURPOSE);
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkCharacter = (first17: string) =>
  '10X98765432'[[...first17].reduce((sum, digit, i) => sum + Number(digit) * WEIGHTS[i]!, 0) % 11]!;

/**
 * The citizen IDs an attacker holding `seen` would still consider: every valid number whose characters agree with
 * the visible characters of the masked value, with the birth date, sex and region it may read, the region of
 * issue guessed from the community when the mask hides it. One candidate means the mask is undone.
 */
function candidates(masked: string, seen: { birthDate?: string; sex?: string; regionCode?: string }): string[] {
  const visible = masked.length === 18 ? [...masked] : [];
  const at = (i: number) => (visible[i] && /[0-9X]/.test(visible[i]) ? visible[i] : null);
  const region = Array.from({ length: 6 }, (_, i) => at(i) ?? seen.regionCode?.[i] ?? '0').join('');
  const birth = Array.from({ length: 8 }, (_, i) => at(6 + i) ?? seen.birthDate?.replaceAll('-', '')[i] ?? '0').join('');
  const found: string[] = [];
  for (let sequence = 0; sequence < 1000; sequence++) {
    const digits = String(sequence).padStart(3, '0');
    if (seen.sex && Number(digits[2]) % 2 !== (seen.sex === 'MALE' ? 1 : 0)) continue;
    if ([0, 1, 2].some((i) => at(14 + i) !== null && at(14 + i) !== digits[i])) continue;
    const first17 = region + birth + digits;
    const check = checkCharacter(first17);
    if (at(17) !== null && at(17) !== check) continue;
    found.push(first17 + check);
  }
  return found;
}

/** Every string anywhere in a JSON value. */
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(stringsOf) : [];

describe.each([
  ['demographics only', ['PS_DEMOGRAPHICS']],
  ['demographics and household', ['PS_DEMOGRAPHICS', 'PS_HOUSEHOLD']],
  ['demographics and contact', ['PS_DEMOGRAPHICS', 'PS_CONTACT']],
  ['demographics and the elderly profile', ['PS_DEMOGRAPHICS', 'CA_ELDERLY_PROFILE', 'CA_SOCIAL_ASSISTANCE']],
  ['every item but identity', ALL_BUT_IDENTITY as string[]],
])('a consumer holding %s cannot reconstruct a citizen ID', (name, items) => {
  it('from the masked value joined with everything it may read (data, provenance, lineage)', async () => {
    const headers = await consumerWith(`rebuild-${name.replaceAll(' ', '-')}`, items);
    const id = SHOWCASE.ELDERLY.citizenId;
    const query = `query ($id: String!) { person(citizenId: $id) {
      citizenId sex birthDate age region { code } provenance { sourceRecordId }
      household { householdId relationToHead headCitizenId }
      elderlyProfile { livingAlone } } }`;
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-include-lineage': '1', ...headers },
      body: JSON.stringify({ query, variables: { id } }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as Json;
    const person = body.data.person as Json;
    expect(person.citizenId).toEqual(expect.any(String));
    // Nowhere in the response, in any form a field, provenance or lineage could carry it.
    expect(text).not.toContain(id);
    const seen = { birthDate: person.birthDate ?? undefined, sex: person.sex ?? undefined, regionCode: person.region?.code };
    const masks = stringsOf(body).filter((value) => /^(psn_|[0-9*X]{18}$)/.test(value));
    expect(masks.length).toBeGreaterThan(0);
    for (const masked of masks) expect(candidates(masked, seen).length).toBeGreaterThanOrEqual(100);
  });
});

it('the reconstruction check would catch a mask that keeps the region and the last four characters', () => {
  const id = SHOWCASE.ELDERLY.citizenId;
  const oldStyle = `${id.slice(0, 6)}********${id.slice(14)}`;
  expect(candidates(oldStyle, { birthDate: '1938-03-15', sex: 'FEMALE' })).toEqual([id]);
});

const subjectsOf = async (consumerCode: string) =>
  (await hub.prisma.auditEvent.findMany({ where: { consumerCode: `${consumerCode}-${suffix}` } })).map((event) =>
    [...event.subjects].sort(),
  );
const hashOf = (citizenId: string) => createHmac('sha256', TEST_AUDIT_HMAC_KEY).update(citizenId, 'utf8').digest('hex');

async function realIds(filter: string, first: number): Promise<string[]> {
  const { body } = await hub.graphql<Json, Json>(
    `{ persons(first: ${first}, filter: ${filter}) { edges { node { citizenId } } } }`,
    undefined,
    DEMO_HEADERS,
  );
  const ids = (body.data!.persons.edges as Json[]).map((edge) => edge.node.citizenId as string);
  expect(ids).toHaveLength(first);
  return ids;
}

describe('returning people is a personal read, audited with its subjects', () => {
  it('a 低保 filter with only provenance selected', async () => {
    const headers = await consumerWith('audit-provenance', ['CA_SOCIAL_ASSISTANCE', 'CA_ELDERLY_PROFILE']);
    const filter = '{ elderly: { minimumLiving: true } }';
    const { body } = await hub.graphql<Json, Json>(
      `{ persons(first: 5, filter: ${filter}) { edges { node { provenance { sourceRecordId } } } } }`,
      undefined,
      headers,
    );
    expect(body.errors).toBeUndefined();
    const ids = await realIds(filter, 5);
    const returned = (body.data!.persons.edges as Json[]).map((edge) => edge.node.provenance.sourceRecordId as string);
    for (const id of ids) expect(returned).not.toContain(id);
    expect(await subjectsOf('audit-provenance')).toEqual([ids.map(hashOf).sort()]);
  });

  it('__typename of a list node with lineage', async () => {
    const headers = await consumerWith('audit-typename', ['PS_DEMOGRAPHICS']);
    const filter = '{ regionCode: "500103" }';
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-include-lineage': '1', ...headers },
      body: JSON.stringify({ query: `{ persons(first: 3, filter: ${filter}) { edges { node { __typename } } } }` }),
    });
    const text = await response.text();
    const ids = await realIds(filter, 3);
    for (const id of ids) expect(text).not.toContain(id);
    expect(Object.keys((JSON.parse(text) as Json).extensions.lineage)).toHaveLength(3);
    expect(await subjectsOf('audit-typename')).toEqual([ids.map(hashOf).sort()]);
  });
});
