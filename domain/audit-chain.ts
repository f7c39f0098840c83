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
const ENCODING_VERSION = 'yilao-yixiao-hub/audit-event/v1';

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
}

export interface ChainedAuditEvent extends AuditEventContent {
  prevHash: string;
  hash: string;
}

export function canonicalEncoding(event: AuditEventContent & { prevHash: string }): string {
  return JSON.stringify([
    ENCODING_VERSION,
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
    event.prevHash,
  ]);
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
