/**
 * One request's access state: who is asking (the authenticated consumer), for which declared purpose, against
 * which catalogue snapshot; and what the request touched, for the audit event (items read, people read,
 * refusals).
 *
 * Contract: created by the authentication middleware once the consumer and purpose are accepted; decisions are
 * memoised per field for the request. Resolvers use `requireReadable` for filters over catalogued fields (a
 * filter on a field reveals its values) and the region-scope helpers for root lookups, lists and statistics. Whether
 * the request is audited is declared on the schema's fields and applied by the catalogue plugin
 * (schema/plugins/catalogue.ts), the only caller of `markAudited`; a root lookup by citizen ID or a household head
 * also audits its request through `noteSubject` (the ID asked is a subject even when nothing is returned).
 */
import { ForbiddenError, type HubErrorDetails } from './errors';
import type { Catalogue, CatalogueItem } from './catalogue';
import type { AuthenticatedConsumer, ConsumerRole } from './consumer';
import { decide, inRegionScope, scopedRegion, type Decision } from './access-policy';
import { maskerFor, type Masker } from './masking';

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
  private notesCleared = 0;

  constructor(
    readonly consumer: AuthenticatedConsumer,
    readonly purpose: string,
    private readonly catalogue: Catalogue,
    /** This consumer's masks (its own citizen-ID pseudonyms). */
    readonly mask: Masker = maskerFor(),
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

  private changesAudited = 0;

  /** An administration change committed with its own audit event (the catalogue plugin's `administered`). */
  noteChangeAudited(): void {
    this.changesAudited += 1;
  }

  /**
   * Whether this request writes an audit event after its response is formed, and why. A request whose only
   * reason is administration, every change of which committed with its own event, needs no second one.
   */
  get auditRequired(): boolean {
    if (this.audited.size === 1 && this.audited.has('administration') && this.changesAudited > 0 && !this.changeFailed)
      return false;
    return this.audited.size > 0;
  }

  /** Set when an administration attempt did not commit (refused, invalid, or its event could not be written). */
  changeFailed = false;

  get auditReasons(): ReadonlySet<AuditReason> {
    return this.audited;
  }

  /**
   * Starts the notes afresh (items read, subjects): a subscription's access outlives each result it delivers, and
   * each result's event records what that result returned. What was noted once per request is noted again after.
   */
  clearNotes(): void {
    this.itemsRead.clear();
    this.subjects.clear();
    this.notesCleared += 1;
  }

  /** How many times the notes were started afresh: what was noted in an earlier round must be noted again. */
  get notesRound(): number {
    return this.notesCleared;
  }

  /** Records that a catalogued field of `source` was resolved under `decision` (items and people, for the audit event). */
  noteResolved(decision: Exclude<Decision, { kind: 'open' }>, source: unknown): void {
    if (decision.kind === 'allow') this.itemsRead.add(decision.item.code);
    if (!decision.item.personal) return;
    const citizenId = (source as { citizenId?: unknown } | null)?.citizenId;
    if (decision.kind !== 'forbid' && typeof citizenId === 'string') this.subjects.add(citizenId);
  }

  /**
   * Records the people a personal field returned (a person, a list of people, a connection or edge of them) as
   * subjects, which audits the request: returning a record of a person is a personal read, whatever of it the query
   * selects (even `__typename`). A value holding no person audits nothing.
   */
  noteSubjectsOf(value: unknown, depth = 0): void {
    if (value === null || typeof value !== 'object' || depth > 3) return;
    if (Array.isArray(value)) {
      for (const item of value) this.noteSubjectsOf(item, depth + 1);
      return;
    }
    const record = value as { citizenId?: unknown; node?: unknown; edges?: unknown };
    if (typeof record.citizenId === 'string') this.noteSubject(record.citizenId);
    if (record.node !== undefined) this.noteSubjectsOf(record.node, depth + 1);
    if (record.edges !== undefined) this.noteSubjectsOf(record.edges, depth + 1);
  }

  /** The error a refused field resolves to. */
  refusal(coordinate: string, item: CatalogueItem, reason: keyof typeof REFUSALS): CatalogueRefusal {
    return new CatalogueRefusal(
      `${coordinate}: ${item.code} ${item.name} ${REFUSALS[reason]}`,
      { reason, catalogueItem: item.code },
      item,
    );
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

  /** Whether `regionCode` lies inside the consumer's region scope (everything, when it has none). */
  inRegionScope(regionCode: string): boolean {
    return inRegionScope(this.consumer.regionCode, regionCode);
  }

  /**
   * Records a person the request reads or asks about beyond the record a catalogued field resolves from, and
   * audits the request with them as a subject: a root lookup's citizen ID, whatever the answer (the person, nobody
   * registered under it, or a person outside the region scope, withheld and answered as nobody: the three leave the
   * same trace, and an auditor sees every attempt), or a household's head, shown in full or masked.
   */
  noteSubject(citizenId: string): void {
    this.subjects.add(citizenId);
    this.audited.add('personal');
  }

  /** Statistics of a region outside the consumer's region scope are FORBIDDEN (regions are public; their figures are not). */
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
