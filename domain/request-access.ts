/**
 * One request's access state: who is asking (the authenticated consumer), for which declared purpose, against
 * which catalogue snapshot; and what the request touched, for the audit event (items read, people read,
 * refusals).
 *
 * Contract: created by the authentication middleware once the consumer and purpose are accepted; decisions are
 * memoised per field for the request. Resolvers use `requireReadable` for filters over catalogued fields (a
 * filter on a field reveals its values) and the region-scope helpers for root lookups and lists. Whether the request
 * is audited is declared on the schema's fields and applied by the catalogue plugin (schema/plugins/catalogue.ts),
 * the only caller of `markAudited`.
 */
import { ForbiddenError, type HubErrorDetails } from './errors';
import type { Catalogue, CatalogueItem } from './catalogue';
import type { AuthenticatedConsumer, ConsumerRole } from './consumer';
import { decide, inRegionScope, scopedRegion, type Decision } from './access-policy';

const REFUSALS = {
  NOT_SHARED: '不予共享 not shared',
  NOT_GRANTED: '未授权 not granted to this consumer',
  PURPOSE_NOT_APPROVED: '用途未获批准 not approved for the declared purpose',
} as const;

/**
 * Why a request is audited: it read, masked or was refused a personal catalogue item; it administered consumers
 * or the catalogue; it read the audit trail; or it was refused a privileged field (a missing role).
 */
export type AuditReason = 'personal' | 'administration' | 'audit-trail' | 'refused-privileged';

/** FORBIDDEN because the catalogue refuses an item, for a field or for a filter over it; names the item refused. */
export class CatalogueRefusal extends ForbiddenError {
  constructor(
    message: string,
    details: HubErrorDetails,
    readonly item: CatalogueItem,
  ) {
    super(message, details);
  }
}

export class RequestAccess {
  private readonly decisions = new Map<string, Decision>();
  /** Catalogue items whose values this request returned in full. */
  readonly itemsRead = new Set<string>();
  /** Citizen IDs of the people whose personal data this request returned (in full or masked). */
  readonly subjects = new Set<string>();
  private readonly audited = new Set<AuditReason>();

  constructor(
    readonly consumer: AuthenticatedConsumer,
    readonly purpose: string,
    private readonly catalogue: Catalogue,
  ) {}

  decide(coordinate: string): Decision {
    let decision = this.decisions.get(coordinate);
    if (!decision) {
      decision = decide(this.catalogue, this.consumer, this.purpose, coordinate);
      this.decisions.set(coordinate, decision);
    }
    return decision;
  }

  canRead(coordinate: string): boolean {
    const { kind } = this.decide(coordinate);
    return kind === 'open' || kind === 'allow';
  }

  hasRole(role: ConsumerRole): boolean {
    return this.consumer.roles.has(role);
  }

  /** Makes this request audited (one audit event before its response leaves). Called by the catalogue plugin only. */
  markAudited(reason: AuditReason): void {
    this.audited.add(reason);
  }

  /** Whether this request writes an audit event, and why. */
  get auditRequired(): boolean {
    return this.audited.size > 0;
  }

  get auditReasons(): ReadonlySet<AuditReason> {
    return this.audited;
  }

  /** Records that a catalogued field of `source` was resolved under `decision` (items and people, for the audit event). */
  noteResolved(decision: Exclude<Decision, { kind: 'open' }>, source: unknown): void {
    if (decision.kind === 'allow') this.itemsRead.add(decision.item.code);
    if (!decision.item.personal) return;
    const citizenId = (source as { citizenId?: unknown } | null)?.citizenId;
    if (decision.kind !== 'forbid' && typeof citizenId === 'string') this.subjects.add(citizenId);
  }

  /** The error a refused field resolves to. */
  refusal(coordinate: string, item: CatalogueItem, reason: keyof typeof REFUSALS): CatalogueRefusal {
    return new CatalogueRefusal(`${coordinate}: ${item.code} ${item.name} ${REFUSALS[reason]}`, { reason, catalogueItem: item.code }, item);
  }

  /**
   * Throws FORBIDDEN (a CatalogueRefusal) naming `argument` when filtering on `coordinate` would reveal values the
   * consumer may not read. The catalogue plugin audits the request when the refused item is personal.
   */
  requireReadable(coordinate: string, argument: string): void {
    const decision = this.decide(coordinate);
    if (decision.kind === 'open' || decision.kind === 'allow') return;
    throw new CatalogueRefusal(
      `Filter ${argument} reads ${coordinate}: ${decision.item.code} ${REFUSALS[decision.reason]}`,
      { field: argument, reason: decision.reason, catalogueItem: decision.item.code },
      decision.item,
    );
  }

  get regionScope(): string | null {
    return this.consumer.regionCode;
  }

  /** A single record outside the consumer's region scope is FORBIDDEN (lists leave such records out instead). */
  assertInRegionScope(regionCode: string, what: string): void {
    if (inRegionScope(this.consumer.regionCode, regionCode)) return;
    throw new ForbiddenError(`${what} is outside this consumer's region scope 超出接入方区域范围`, {
      reason: 'OUTSIDE_REGION_SCOPE',
    });
  }

  /** The region a list may cover (see `scopedRegion`): null means nothing in scope. */
  listRegion(requested: string | undefined): string | undefined | null {
    return scopedRegion(this.consumer.regionCode, requested);
  }
}
