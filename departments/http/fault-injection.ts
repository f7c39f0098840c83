/**
 * Applies a department's injected faults (departments/faults.ts) to HTTP requests and answers.
 *
 * Contract:
 * - API requests (`/v1/…`): during an outage the connection is destroyed without an answer; otherwise the
 *   latency is waited out, then the error rate answers 500 INTERNAL.
 * - `/health`: the latency is waited out; during an outage it answers 503 `{"status":"unavailable"}`.
 * - `corrupt(records, field, rate)`: sets `field` of that fraction of records to MALFORMED_VALUE.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestHandler } from 'express';
import type { Faults } from '../faults';
import { MALFORMED_VALUE } from '../storage';
import { InternalError } from './errors';

export function apiFaults(current: () => Readonly<Faults>): RequestHandler {
  return async (req, _res, next) => {
    let faults = current();
    if (faults.outage) {
      req.socket.destroy();
      return;
    }
    if (faults.latencyMs > 0) {
      await sleep(faults.latencyMs);
      faults = current();
      if (faults.outage) {
        req.socket.destroy();
        return;
      }
    }
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
      next(new InternalError());
      return;
    }
    next();
  };
}

export function healthFaults(current: () => Readonly<Faults>): RequestHandler {
  return async (_req, res, next) => {
    const { latencyMs } = current();
    if (latencyMs > 0) await sleep(latencyMs);
    if (current().outage) {
      res.status(503).json({ status: 'unavailable' });
      return;
    }
    next();
  };
}

export function corrupt<T extends Record<string, unknown>>(records: T[], field: string, rate: number): T[] {
  if (rate <= 0) return records;
  return records.map((record) => (Math.random() < rate ? { ...record, [field]: MALFORMED_VALUE } : record));
}
