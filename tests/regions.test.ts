import { RegionByCodeDocument, RegionsListDocument, RegionTreeDepthDocument } from './generated/graphql';
import { startTestHub, type TestHub } from './helpers/hub';

const YUZHONG_STREETS = [
  ['500103001', '七星岗街道'],
  ['500103003', '解放碑街道'],
  ['500103004', '两路口街道'],
  ['500103005', '上清寺街道'],
  ['500103007', '菜园坝街道'],
  ['500103008', '南纪门街道'],
  ['500103010', '朝天门街道'],
  ['500103011', '大溪沟街道'],
  ['500103012', '大坪街道'],
  ['500103013', '化龙桥街道'],
  ['500103014', '石油路街道'],
];

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

describe('region(code)', () => {
  it('returns 渝中区 with its parent city and its 11 streets in code order', async () => {
    const { status, body } = await hub.graphql(RegionByCodeDocument, { code: '500103' });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const region = body.data!.region!;
    expect(region).toMatchObject({ code: '500103', name: '渝中区', level: 'DISTRICT' });
    expect(region.parent).toEqual({ code: '500000', name: '重庆市' });
    expect(region.children.map((c) => [c.code, c.name])).toEqual(YUZHONG_STREETS);
    expect(new Set(region.children.map((c) => c.level))).toEqual(new Set(['STREET']));
  });

  it('returns the city at the top of the tree with no parent', async () => {
    const { body } = await hub.graphql(RegionByCodeDocument, { code: '500000' });
    expect(body.data!.region).toMatchObject({ code: '500000', name: '重庆市', level: 'CITY', parent: null });
    expect(body.data!.region!.children.map((c) => c.code)).toEqual(['500103']);
  });

  it('resolves a community (12 digits) under its street', async () => {
    const { body } = await hub.graphql(RegionByCodeDocument, { code: '500103003019' });
    expect(body.errors).toBeUndefined();
    expect(body.data!.region).toMatchObject({
      code: '500103003019',
      name: '大井巷社区',
      level: 'COMMUNITY',
      parent: { code: '500103003', name: '解放碑街道' },
      children: [],
    });
  });

  it('walks three levels in one request, each child pointing back at its parent', async () => {
    const { body } = await hub.graphql(RegionTreeDepthDocument, { code: '500103' });
    expect(body.errors).toBeUndefined();
    const streets = body.data!.region!.children;
    expect(streets).toHaveLength(11);
    for (const street of streets) {
      expect(street.children.length).toBeGreaterThanOrEqual(3);
      for (const community of street.children) {
        expect(community.code.startsWith(street.code)).toBe(true);
        expect(community.parent).toEqual({ code: street.code });
      }
    }
  });

  it('returns null, without an error, for a well-formed code that is not in the tree', async () => {
    const { status, body } = await hub.graphql(RegionByCodeDocument, { code: '500199' });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.region).toBeNull();
  });

  it.each([
    ['letters', 'abc'],
    ['too short', '5001'],
    ['8 digits', '50010300'],
    ['13 digits', '5001030010011'],
    ['zero prefix', '000000'],
    ['empty', ''],
    ['padded', ' 500103'],
  ])('rejects a malformed code (%s) with BAD_USER_INPUT naming the argument', async (_label, code) => {
    const { status, body } = await hub.graphql(RegionByCodeDocument, { code });
    expect(status).toBe(200);
    expect(body.data!.region).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      path: ['region'],
      extensions: { code: 'BAD_USER_INPUT', field: 'code', reason: 'MALFORMED_REGION_CODE' },
    });
  });
});

describe('regions(level, parentCode)', () => {
  it('lists the 11 streets by level', async () => {
    const { body } = await hub.graphql(RegionsListDocument, { level: 'STREET' });
    expect(body.errors).toBeUndefined();
    expect(body.data!.regions.map((r) => [r.code, r.name])).toEqual(YUZHONG_STREETS);
  });

  it('lists the communities of one street by parentCode', async () => {
    const { body } = await hub.graphql(RegionsListDocument, { parentCode: '500103001' });
    expect(body.data!.regions.map((r) => r.name)).toEqual(['华一坡社区', '领事巷社区', '金汤街社区', '捍卫路社区']);
    expect(body.data!.regions.every((r) => r.level === 'COMMUNITY')).toBe(true);
  });

  it('combines level and parentCode', async () => {
    const { body } = await hub.graphql(RegionsListDocument, { level: 'STREET', parentCode: '500000' });
    expect(body.data!.regions).toEqual([]);
  });

  it('returns every level without filters, parents before children', async () => {
    const { body } = await hub.graphql(RegionsListDocument, {});
    const levels = new Set(body.data!.regions.map((r) => r.level));
    expect(levels).toEqual(new Set(['CITY', 'DISTRICT', 'STREET', 'COMMUNITY']));
    expect(body.data!.regions[0]).toMatchObject({ code: '500000' });
  });

  it('returns an empty list for an unknown parent', async () => {
    const { body } = await hub.graphql(RegionsListDocument, { parentCode: '500199' });
    expect(body.errors).toBeUndefined();
    expect(body.data!.regions).toEqual([]);
  });

  it('rejects a malformed parentCode with BAD_USER_INPUT naming parentCode', async () => {
    const { body } = await hub.graphql(RegionsListDocument, { parentCode: '50-0103' });
    expect(body.data).toBeNull();
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentCode' });
  });

  it('rejects an unknown level value with BAD_USER_INPUT before running', async () => {
    const { body } = await hub.graphql('query { regions(level: PROVINCE) { code } }');
    expect(body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const withVariable = await hub.graphql(RegionsListDocument, { level: 'PROVINCE' as never });
    expect(withVariable.status).toBe(400);
    expect(withVariable.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});
