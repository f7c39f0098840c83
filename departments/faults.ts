/**
 * Injected faults of the sandbox departments: the switches stored in `sandbox.fault` (one row per department;
 * no row = no faults) and the names of the PostgreSQL channels that carry changes.
 *
 * Contract:
 * - latencyMs: added delay per HTTP request / per exchange-view query (0..600000).
 * - errorRate: fraction (0..1) of API requests answered 500 / exchange queries failing with an SQL error.
 * - outage: HTTP: API connections are destroyed without an answer and /health answers 503;
 *   SQL: the reader role cannot log in and its sessions are terminated.
 * - malformedRate: fraction (0..1) of returned records corrupted so that the record schema rejects them.
 * - lostAnswerRate: HTTP only: fraction (0..1) of command answers lost: the command is executed and committed
 *   (or replayed from the ledger), then the connection is destroyed instead of answering. Reads of a command by
 *   its key are answered: they are how a caller recovers from exactly this.
 *
 * Every change is announced on FAULT_CHANNEL (payload: department) by a trigger. A service that has applied
 * a change answers on FAULT_APPLIED_CHANNEL with `{department, version}`; `version` is the row's
 * `updated_at` in microseconds since the epoch ("0" when there is no row), so a writer can wait for it.
 */
import { z } from 'zod';
import { CONNECTOR_NAMES, type ConnectorName } from '../connectors/department-interface';

export const FAULT_CHANNEL = 'sandbox_fault';
export const FAULT_APPLIED_CHANNEL = 'sandbox_fault_applied';

export interface Faults {
  latencyMs: number;
  errorRate: number;
  outage: boolean;
  malformedRate: number;
  lostAnswerRate: number;
}

export const NO_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  outage: false,
  malformedRate: 0,
  lostAnswerRate: 0,
});

export const faultsPatchSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(600_000),
    errorRate: z.number().min(0).max(1),
    outage: z.boolean(),
    malformedRate: z.number().min(0).max(1),
    lostAnswerRate: z.number().min(0).max(1),
  })
  .partial()
  .strict();

export const departmentNameSchema = z.enum(CONNECTOR_NAMES);

/** Column of sandbox.fault for each switch. */
export const FAULT_COLUMNS: Record<keyof Faults, string> = {
  latencyMs: 'latency_ms',
  errorRate: 'error_rate',
  outage: 'outage',
  malformedRate: 'malformed_rate',
  lostAnswerRate: 'lost_answer_rate',
};

/** Selects a department's switches and version; no row means NO_FAULTS and version "0". */
export const SELECT_FAULTS_SQL = `
  SELECT latency_ms, error_rate, outage, malformed_rate, lost_answer_rate,
         (extract(epoch FROM updated_at) * 1000000)::bigint::text AS version
    FROM sandbox.fault WHERE department = $1`;

export interface FaultRow {
  latency_ms: number;
  error_rate: number;
  outage: boolean;
  malformed_rate: number;
  lost_answer_rate: number;
  version: string;
}

export function faultsFromRow(row: FaultRow | undefined): { faults: Faults; version: string } {
  if (!row) return { faults: { ...NO_FAULTS }, version: '0' };
  return {
    faults: {
      latencyMs: row.latency_ms,
      errorRate: row.error_rate,
      outage: row.outage,
      malformedRate: row.malformed_rate,
      lostAnswerRate: row.lost_answer_rate,
    },
    version: row.version,
  };
}

/** `application_name` of a service's fault listener connection, so a writer can count the listeners. */
export function faultListenerName(department: ConnectorName): string {
  return `department-faults:${department}`;
}

export interface FaultAppliedMessage {
  department: ConnectorName;
  version: string;
}
