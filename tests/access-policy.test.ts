/**
 * Pure access rules: masking of personal identifiers, the field decision (allow / mask / forbid / open) for a
 * consumer × purpose × catalogue class, and region scope arithmetic.
 */
import type { Catalogue, CatalogueItem } from '../domain/catalogue';
import type { AuthenticatedConsumer } from '../domain/consumer';
import { citizenIdPseudonyms, mask } from '../domain/masking';
import { decide, inRegionScope, scopedRegion } from '../domain/access-policy';

describe('mask', () => {
  it.each([
    ['CITIZEN_ID', '500103193803150261', '******************'],
    ['CITIZEN_ID', '50010319380315026X', '******************'],
    ['CITIZEN_ID', '12345', '*****'],
    ['NAME', '张秀英', '张**'],
    ['NAME', '李', '李*'],
    ['NAME', '欧阳明月', '欧***'],
    ['PHONE', '13812345678', '138****5678'],
    ['PHONE', '12-34', '*****'],
    ['ADDRESS', '重庆市渝中区解放碑街道民族路88号', '重庆市渝中区****'],
    ['ADDRESS', '某小区3栋', '****'],
    ['ADDRESS', '四川省成都市武侯区某街1号', '四川省成都市武侯区****'],
  ] as const)('%s %s → %s', (kind, value, masked) => {
    expect(mask(kind, value)).toBe(masked);
  });

  it('keeps null and masks every item of a list', () => {
    expect(mask('NAME', null)).toBeNull();
    expect(mask('CITIZEN_ID', ['500103193803150261'])).toEqual(['******************']);
  });

  it('shows each consumer its own stable pseudonym for a citizen ID, holding nothing of the number', () => {
    const first = citizenIdPseudonyms('s'.repeat(32), 'consumer-1');
    const id = '500103193803150261';
    expect(first(id)).toMatch(/^psn_[a-z2-7]{16}$/);
    expect(first(id)).toBe(citizenIdPseudonyms('s'.repeat(32), 'consumer-1')(id));
    expect(first(id)).not.toBe(first('500103193803150253'));
    expect(first(id)).not.toBe(citizenIdPseudonyms('s'.repeat(32), 'consumer-2')(id));
    expect(first(id)).not.toBe(citizenIdPseudonyms('t'.repeat(32), 'consumer-1')(id));
    for (const part of ['500103', '19380315', '0261', '026']) expect(first(id)).not.toContain(part);
  });
});

const item = (code: string, cls: CatalogueItem['class'], personal = true): CatalogueItem => ({
  code,
  name: code,
  nameEn: code,
  ownerDepartment: 'public-security',
  class: cls,
  personal,
});

const catalogue: Catalogue = {
  items: new Map([
    ['OPEN_ITEM', item('OPEN_ITEM', 'UNCONDITIONAL', false)],
    ['COND_ITEM', item('COND_ITEM', 'CONDITIONAL')],
    ['SECRET_ITEM', item('SECRET_ITEM', 'NOT_SHARED')],
  ]),
  fields: new Map([
    ['Thing.count', { coordinate: 'Thing.count', itemCode: 'OPEN_ITEM', mask: null }],
    ['Person.name', { coordinate: 'Person.name', itemCode: 'COND_ITEM', mask: 'NAME' as const }],
    ['Person.sex', { coordinate: 'Person.sex', itemCode: 'COND_ITEM', mask: null }],
    ['Person.secret', { coordinate: 'Person.secret', itemCode: 'SECRET_ITEM', mask: 'NAME' as const }],
  ]),
  purposes: new Set(['A', 'B']),
};

const consumer = (grants: Record<string, string[]>): AuthenticatedConsumer => ({
  id: 'c',
  code: 'c',
  name: 'c',
  department: 'd',
  status: 'ACTIVE',
  roles: new Set(),
  purposes: new Set(['A', 'B']),
  regionCode: null,
  rateLimitPerMinute: null,
  grants: new Map(Object.entries(grants).map(([code, purposes]) => [code, new Set(purposes)])),
});

describe('decide', () => {
  it.each([
    // grants, purpose, field → decision (reason)
    [{}, 'A', 'Region.name', 'open', undefined],
    [{ OPEN_ITEM: [] }, 'A', 'Thing.count', 'allow', undefined],
    [{}, 'A', 'Thing.count', 'forbid', 'NOT_GRANTED'],
    [{ COND_ITEM: ['A'] }, 'A', 'Person.sex', 'allow', undefined],
    [{ COND_ITEM: ['A'] }, 'B', 'Person.sex', 'forbid', 'PURPOSE_NOT_APPROVED'],
    [{ COND_ITEM: ['A'] }, 'B', 'Person.name', 'mask', 'PURPOSE_NOT_APPROVED'],
    [{}, 'A', 'Person.name', 'mask', 'NOT_GRANTED'],
    [{ SECRET_ITEM: ['A'] }, 'A', 'Person.secret', 'mask', 'NOT_SHARED'],
  ] as const)('grants %j, purpose %s, %s → %s %s', (grants, purpose, coordinate, kind, reason) => {
    const decision = decide(catalogue, consumer(grants as Record<string, string[]>), purpose, coordinate);
    expect(decision.kind).toBe(kind);
    expect('reason' in decision ? decision.reason : undefined).toBe(reason);
  });
});

describe('region scope', () => {
  it('contains the scope itself and everything under it', () => {
    expect(inRegionScope(null, '500103001001')).toBe(true);
    expect(inRegionScope('500103001', '500103001001')).toBe(true);
    expect(inRegionScope('500103001', '500103002001')).toBe(false);
  });

  it.each([
    [null, undefined, undefined],
    [null, '500103', '500103'],
    ['500103001', undefined, '500103001'],
    ['500103001', '500103', '500103001'],
    ['500103001', '500103001002', '500103001002'],
    ['500103001', '500103002', null],
  ])('scope %s, requested %s → %s', (scope, requested, expected) => {
    expect(scopedRegion(scope, requested)).toBe(expected);
  });
});
