/**
 * The audit chain's pure rules: the canonical encoding of an event, its SHA-256 hash, and the keyed hash that
 * stands for a citizen ID in the trail.
 *
 * Contract: `canonicalEncoding` is a JSON array of the event's fields in a fixed order, prefixed with a version
 * tag, with the time as ISO 8601 UTC in milliseconds and arrays as stored (sorted when the event is made);
 * JSON.stringify of strings, nulls and arrays of strings is deterministic, so the same event always encodes to
 * the same bytes. `hash = SHA-256(canonicalEncoding)` and covers `prevHash`, which chains the events. Changing,
 * deleting or inserting a row breaks a hash or a link, which `AuditTrail.verify` (server/audit/trail.ts) reports.
 */
import { createHmac } from 'node:crypto';
import { sha256 } from './digest';

export type AuditOutcome = 'OK' | 'PARTIAL' | 'FAILED';

export { sha256 };

export const GENESIS_HASH = '0'.repeat(64);
const ENCODING_V1 = 'yilao-yixiao-hub/audit-event/v1';
/** v2 adds what an administration event changed; events without a change keep the v1 encoding (old rows verify). */
const ENCODING_V2 = 'yilao-yixiao-hub/audit-event/v2';

export interface AuditEventContent {
  time: Date;
  consumerId: string;
  consumerCode: string;
  purpose: string;
  operationName: string | null;
  documentHash: string;
  subjects: string[];
  catalogueItems: string[];
  outcome: AuditOutcome;
  requestId: string;
  /** What an administration event changed, e.g. `consumer:yuzhong-ca-subsidy` (null for reads). */
  target?: string | null;
  /** SHA-256 of the mutation's arguments in canonical JSON (null for reads). */
  variablesHash?: string | null;
}

export interface ChainedAuditEvent extends AuditEventContent {
  prevHash: string;
  hash: string;
}

/**
 * The encoding around `prevHash`: `canonicalEncoding = head + JSON.stringify(prevHash) + tail`. The hub's database
 * extends the chain with these two strings (migration `audit_append_one_statement`), so the head is read and
 * extended in the one statement that inserts, while the encoding stays defined here, once.
 */
export function encodingAroundPrevHash(event: AuditEventContent): { head: string; tail: string } {
  const change = event.target != null || event.variablesHash != null ? [event.target ?? null, event.variablesHash ?? null] : null;
  const before = JSON.stringify([
    change ? ENCODING_V2 : ENCODING_V1,
    event.time.toISOString(),
    event.consumerId,
    event.consumerCode,
    event.purpose,
    event.operationName,
    event.documentHash,
    event.subjects,
    event.catalogueItems,
    event.outcome,
    event.requestId,
  ]);
  // JSON.stringify of an array is "[" + its elements joined by "," + "]": the array continues after requestId.
  return { head: `${before.slice(0, -1)},`, tail: change ? `,${JSON.stringify(change).slice(1)}` : ']' };
}

export function canonicalEncoding(event: AuditEventContent & { prevHash: string }): string {
  const { head, tail } = encodingAroundPrevHash(event);
  return `${head}${JSON.stringify(event.prevHash)}${tail}`;
}

export function chain(event: AuditEventContent, prevHash: string): ChainedAuditEvent {
  return { ...event, prevHash, hash: sha256(canonicalEncoding({ ...event, prevHash })) };
}

/** The trail's stand-in for a citizen ID: HMAC-SHA-256 under the hub's audit key, hex. */
export function subjectHash(key: string, citizenId: string): string {
  return createHmac('sha256', key).update(citizenId, 'utf8').digest('hex');
}

/** The result of checking the chain (npm run audit:verify, verifyAuditChain). */
export interface ChainStatus {
  ok: boolean;
  checkedEvents: number;
  headSeq: string | null;
  headHash: string | null;
  /** The first row that does not verify, and why. */
  firstBroken: { seq: string; reason: 'HASH_MISMATCH' | 'BROKEN_LINK' | 'HEAD_MISSING'; message: string } | null;
}
