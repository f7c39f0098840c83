/**
 * Bulkheads, timeouts, retries and the circuit breaker of one connector, from cockatiel (a well-kept resilience
 * library) rather than hand-rolled loops.
 *
 * Contract:
 * - Bulkheads first, so that one consumer (or one request) cannot take a department's capacity from the others,
 *   nor open the breaker they all share by queueing for a pool it has exhausted itself. A call takes, in order, a
 *   slot of its request (`CallOptions.request`: `concurrentCalls` per request, `maxCalls` in all; call-limits.ts),
 *   of its consumer at this connector (`concurrentCallsPerConsumer`, below the connector's own) and of the
 *   connector (`concurrentCalls`, an SQL department's pool size by default). A call finding a full queue, or
 *   waiting longer than `timeoutMs` for its slots, is refused with BULKHEAD_FULL; a request past its budget with
 *   REQUEST_CALL_BUDGET. These are the hub's refusals, made before the department is contacted: they never reach
 *   the breaker. The limits are per hub process (as is the breaker): N instances allow N times as many calls.
 * - Once it has its slots, a call has one budget, `timeoutMs`, covering all its attempts: the caller gets an
 *   answer or a TIMEOUT error within it (cockatiel's aggressive timeout; the attempt's AbortSignal is aborted).
 *   So a caller waits at most twice `timeoutMs` in all.
 * - Idempotent reads are retried on transient failures (timeouts excluded: they used the budget) with
 *   exponential backoff; commands are never retried here (the workflow engine retries them with the same
 *   idempotency key).
 * - `breakerFailures` consecutive failed calls open the circuit: calls then fail at once with CIRCUIT_OPEN,
 *   without contacting the department, until one trial call after `breakerHalfOpenAfterMs` succeeds.
 *   Malformed records and rejected commands are answers, not failures of the department's availability.
 */
import {
  BrokenCircuitError,
  bulkhead,
  BulkheadRejectedError,
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
  type BulkheadPolicy,
  type IPolicy,
} from 'cockatiel';
import type { ConnectorLimits } from './config';
import type { ConnectorName } from './department-interface';
import { ConnectorError, type CallOptions } from './contract';

/** Failures that say the department is unavailable, as opposed to answers the hub did not like. */
const countsAgainstDepartment = (error: Error) =>
  !(error instanceof ConnectorError) || error.reason === 'TIMEOUT' || error.reason === 'UNAVAILABLE';

export class Resilience {
  private readonly breaker;
  private readonly reads: IPolicy;
  private readonly writes: IPolicy;
  /** The connector's bulkhead: calls in flight to the department from this process. */
  private readonly lane: BulkheadPolicy;
  /**
   * One bulkhead per consumer that has called this connector, kept for the process's life (consumers are few and
   * registered; dropping an idle one could let a call queued on it run beside a new one).
   */
  private readonly consumerLanes = new Map<string, BulkheadPolicy>();

  constructor(
    private readonly connector: ConnectorName,
    private readonly limits: ConnectorLimits,
    onCircuitChange: (open: boolean) => void,
  ) {
    this.lane = bulkhead(limits.concurrentCalls, limits.queuedCalls);
    this.breaker = circuitBreaker(handleWhen(countsAgainstDepartment), {
      halfOpenAfter: limits.breakerHalfOpenAfterMs,
      breaker: new ConsecutiveBreaker(limits.breakerFailures),
    });
    this.breaker.onStateChange((state) => onCircuitChange(state === CircuitState.Open));
    // A finished call's signal is left alone (abortOnReturn: false): aborting it only built a DOMException per call
    // (with its stack) that nobody listens to, the transports having dropped their listeners on the answer.
    const budget = timeout(limits.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
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

  /** Runs an idempotent read in its bulkheads, then under the budget, retries and breaker. */
  read<T>(operation: string, attempt: (signal: AbortSignal) => Promise<T>, options: CallOptions = {}): Promise<T> {
    return this.inLanes(operation, options, () => this.run(this.reads, operation, attempt));
  }

  /** Runs a command in its bulkheads, then under the budget and breaker, without retries. */
  write<T>(operation: string, attempt: (signal: AbortSignal) => Promise<T>, options: CallOptions = {}): Promise<T> {
    return this.inLanes(operation, options, () => this.run(this.writes, operation, attempt));
  }

  /** A health check: under the budget and breaker, outside the bulkheads (it measures the department, not the hub). */
  probe<T>(operation: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.run(this.writes, operation, attempt);
  }

  private consumerLane(consumer: string): BulkheadPolicy {
    let lane = this.consumerLanes.get(consumer);
    if (!lane) {
      lane = bulkhead(this.limits.concurrentCallsPerConsumer, this.limits.queuedCallsPerConsumer);
      this.consumerLanes.set(consumer, lane);
    }
    return lane;
  }

  /**
   * Takes the call's slots (request, consumer, connector) and runs `call` once it holds them all. Waiting is bounded
   * by `timeoutMs`; a full queue refuses at once. Either way BULKHEAD_FULL, and the department is not contacted.
   */
  private async inLanes<T>(operation: string, options: CallOptions, call: () => Promise<T>): Promise<T> {
    const refuse = (reason: 'BULKHEAD_FULL' | 'REQUEST_CALL_BUDGET', status: number, message: string) =>
      new ConnectorError(this.connector, operation, reason, status, message);
    if (options.request && !options.request.take()) {
      throw refuse('REQUEST_CALL_BUDGET', 429, `the request has made its ${options.request.options.maxCalls} department calls`);
    }
    const lanes = [
      options.request?.lane,
      options.consumer === undefined ? undefined : this.consumerLane(options.consumer),
      this.lane,
    ];
    const waiting = new AbortController();
    const timer = setTimeout(() => waiting.abort(), this.limits.timeoutMs);
    let started = false;
    const start = () => {
      started = true;
      clearTimeout(timer);
      return call();
    };
    // A call given up while queued still takes its turn, and ends it at once (the bulkhead then starts the next:
    // handing it the aborted signal instead would drop it without passing the turn on).
    const inOrder = lanes.reduceRight<() => Promise<T>>(
      (next, lane) =>
        lane ? () => lane.execute(() => (waiting.signal.aborted ? Promise.reject(new TaskCancelledError()) : next())) : next,
      start,
    );
    const running = inOrder();
    running.catch(() => undefined);
    const gaveUp = new Promise<never>((_resolve, reject) => {
      waiting.signal.addEventListener(
        'abort',
        () => reject(refuse('BULKHEAD_FULL', 503, `no free call slot within ${this.limits.timeoutMs} ms`)),
        {
          once: true,
        },
      );
    });
    gaveUp.catch(() => undefined);
    try {
      return await Promise.race([running, gaveUp]);
    } catch (error) {
      if (error instanceof BulkheadRejectedError) {
        throw refuse('BULKHEAD_FULL', 503, 'too many calls in flight for this consumer, request or department');
      }
      if (!started && error instanceof TaskCancelledError) {
        throw refuse('BULKHEAD_FULL', 503, `no free call slot within ${this.limits.timeoutMs} ms`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
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
