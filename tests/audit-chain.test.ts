/**
 * The audit chain's pure rules: a canonical encoding that is stable and covers every field, hashes that chain,
 * and keyed subject hashes.
 */
import { canonicalEncoding, chain, GENESIS_HASH, sha256, subjectHash, type AuditEventContent } from '../domain/audit-chain';

const event: AuditEventContent = {
  time: new Date('2026-11-23T08:00:00.123Z'),
  consumerId: '00000000-0000-4000-8000-000000000001',
  consumerCode: 'yuzhong-ca',
  purpose: 'ELDERLY_CARE_SERVICE',
  operationName: 'PersonOverview',
  documentHash: sha256('{ person { name } }'),
  subjects: ['a'.repeat(64)],
  catalogueItems: ['CA_ELDERLY_PROFILE', 'PS_IDENTITY'],
  outcome: 'OK',
  requestId: 'req-1',
};

describe('audit chain rules', () => {
  it('encodes an event the same way every time, independent of property order', () => {
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as unknown as AuditEventContent;
    expect(canonicalEncoding({ ...reordered, prevHash: GENESIS_HASH })).toBe(
      canonicalEncoding({ ...event, prevHash: GENESIS_HASH }),
    );
    expect(canonicalEncoding({ ...event, prevHash: GENESIS_HASH })).toContain('"2026-11-23T08:00:00.123Z"');
  });

  it.each(Object.keys(event) as Array<keyof AuditEventContent>)('changes the hash when %s changes', (field) => {
    const original = chain(event, GENESIS_HASH).hash;
    const changed: Record<string, unknown> = { ...event };
    const value = event[field];
    changed[field] =
      value instanceof Date
        ? new Date(value.getTime() + 1)
        : Array.isArray(value)
          ? [...value, 'x']
          : field === 'outcome'
            ? 'PARTIAL'
            : `${String(value)}x`;
    expect(chain(changed as unknown as AuditEventContent, GENESIS_HASH).hash).not.toBe(original);
  });

  it('chains: the hash covers the previous hash', () => {
    const first = chain(event, GENESIS_HASH);
    const second = chain(event, first.hash);
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).not.toBe(first.hash);
    expect(first.hash).toBe(sha256(canonicalEncoding(first)));
  });

  it('hashes subjects with a key: same ID and key agree, another key does not', () => {
    const id = '500103193803150261';
    expect(subjectHash('k'.repeat(32), id)).toBe(subjectHash('k'.repeat(32), id));
    expect(subjectHash('k'.repeat(32), id)).not.toBe(subjectHash('j'.repeat(32), id));
    expect(subjectHash('k'.repeat(32), id)).not.toContain(id);
  });
});
