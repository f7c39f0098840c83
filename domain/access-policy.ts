/**
 * Who may read which field: the decision for one consumer, one declared purpose and one schema field
 * (DESIGN §4). Pure; unit-tested in tests/access-policy.test.ts and enforced by the field guard (guard.ts).
 *
 * A field in the catalogue is readable when its item is shared (not 不予共享), the consumer holds a grant for
 * it, and, for 有条件共享 items, the grant approved the declared purpose. Otherwise a personal identifier with a
 * mask is shown masked, and anything else is refused (null with FORBIDDEN at its path). Fields outside the
 * catalogue (structure: connections, paging, the hub's own data) are open.
 */
import type { Catalogue, CatalogueItem, MaskKind } from './catalogue';
import type { AuthenticatedConsumer } from './consumer';
import { contains } from './regions';

export type RefusalReason = 'NOT_SHARED' | 'NOT_GRANTED' | 'PURPOSE_NOT_APPROVED';

export type Decision =
  | { kind: 'open' }
  | { kind: 'allow'; item: CatalogueItem }
  | { kind: 'mask'; item: CatalogueItem; mask: MaskKind; reason: RefusalReason }
  | { kind: 'forbid'; item: CatalogueItem; reason: RefusalReason };

export function refusalReason(item: CatalogueItem, consumer: AuthenticatedConsumer, purpose: string): RefusalReason | null {
  if (item.class === 'NOT_SHARED') return 'NOT_SHARED';
  const approved = consumer.grants.get(item.code);
  if (!approved) return 'NOT_GRANTED';
  if (item.class === 'CONDITIONAL' && !approved.has(purpose)) return 'PURPOSE_NOT_APPROVED';
  return null;
}

export function decide(catalogue: Catalogue, consumer: AuthenticatedConsumer, purpose: string, coordinate: string): Decision {
  const field = catalogue.fields.get(coordinate);
  if (!field) return { kind: 'open' };
  const item = catalogue.items.get(field.itemCode)!;
  const reason = refusalReason(item, consumer, purpose);
  if (!reason) return { kind: 'allow', item };
  if (field.mask) return { kind: 'mask', item, mask: field.mask, reason };
  return { kind: 'forbid', item, reason };
}

/** Region scope: whether `regionCode` lies inside the consumer's scope (everything, when it has none). */
export function inRegionScope(scope: string | null, regionCode: string): boolean {
  return scope === null || contains(scope, regionCode);
}

/**
 * The region a list may cover: the narrower of the requested region and the scope, or null when they do not
 * overlap (the list is empty). `requested` undefined means "no region filter".
 */
export function scopedRegion(scope: string | null, requested: string | undefined): string | undefined | null {
  if (scope === null) return requested;
  if (requested === undefined || contains(requested, scope)) return scope;
  return contains(scope, requested) ? requested : null;
}
