/**
 * Who may read the operators' endpoints: a request that presents the configured ops key as a bearer token.
 * Connector error texts, call counts and latencies help an attacker map the departments, so /metrics and the
 * details of /readyz are closed to everyone else (and to everyone when no ops key is configured).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { sha256 } from '../domain/digest';

export function presentsOpsKey(req: Request, opsKey: string | null): boolean {
  if (!opsKey) return false;
  const given = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (!given) return false;
  // Compared as digests of equal length, in constant time.
  return timingSafeEqual(Buffer.from(sha256(given), 'hex'), Buffer.from(sha256(opsKey), 'hex'));
}
