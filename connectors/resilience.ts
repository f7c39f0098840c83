/**
 * Timeouts, retries and the circuit breaker of one connector, from cockatiel (a well-kept resilience library)
 * rather than hand-rolled loops.
 *
 * Contract:
 * - Every call has one budget, `timeoutMs`, covering all its attempts: the caller gets an answer or a TIMEOUT
 *   error within it (cockatiel's aggressive timeout; the attempt's AbortSignal is aborted).
 * - Idempotent reads are retried on transient failures (timeouts excluded: they used the budget) with
 *   exponential backoff; commands are never retried here (the workflow engine retries them with the same
 *   idempotency key).
 * - `breakerFailures` consecutive failed calls open the circuit: calls then fail at once with CIRCUIT_OPEN,
 *   without contacting the department, until one trial call after `breakerHalfOpenAfterMs` succeeds.
 *   Malformed records and rejected commands are answers, not failures of the department's availability.
 */
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type IPolicy,
} from 'cockatiel';
import type { ConnectorLimits } from './config';
import type { ConnectorName } from './department-interface';
import { ConnectorError } from './contract';

/** Failures that say the department is unavailable, as opposed to answers the hub did not like. */
const countsAgainstDepartment = (error: Error) =>
  !(error instanceof ConnectorError) || error.reason === 'TIMEOUT' || error.reason === 'UNAVAILABLE';

export class Resilience {
  private readonly breaker;
  private readonly reads: IPolicy;
  private readonly writes: IPolicy;

  constructor(
    private readonly connector: ConnectorName,
    limits: ConnectorLimits,
    onCircuitChange: (open: boolean) => void,
  ) {
    this.breaker = circuitBreaker(handleWhen(countsAgainstDepartment), {
      halfOpenAfter: limits.breakerHalfOpenAfterMs,
      breaker: new ConsecutiveBreaker(limits.breakerFailures),
    });
    this.breaker.onStateChange((state) => onCircuitChange(state === CircuitState.Open));
    const budget = timeout(limits.timeoutMs, TimeoutStrategy.Aggressive);
    const retryTransient = retry(
      handleWhen((error) => error instanceof ConnectorError && error.reason === 'UNAVAILABLE'),
      {
        maxAttempts: limits.retries,
        backoff: new ExponentialBackoff({ initialDelay: limits.retryBackoffMs, maxDelay: limits.retryBackoffMs * 8 }),
      },
    );
    this.reads = wrap(budget, retryTransient, this.breaker);
    this.writes = wrap(budget, this.breaker);
  }

  get circuitOpen(): boolean {
    return this.breaker.state === CircuitState.Open;
  }

  /** Runs an idempotent read under the budget, retries and breaker. */
  read<T>(operation: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.run(this.reads, operation, attempt);
  }

  /** Runs a command under the budget and breaker, without retries. */
  write<T>(operation: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.run(this.writes, operation, attempt);
  }

  private async run<T>(policy: IPolicy, operation: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await policy.execute(({ signal }) => attempt(signal));
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new ConnectorError(this.connector, operation, 'CIRCUIT_OPEN', 503, 'circuit open after repeated failures');
      }
      if (error instanceof TaskCancelledError) {
        throw new ConnectorError(this.connector, operation, 'TIMEOUT', 504, 'no answer within the timeout');
      }
      throw error;
    }
  }
}
