/**
 * One request's limits on department calls (created per request by its loaders, resolvers/loaders.ts, and passed
 * with every call as `CallOptions.request`; resilience.ts applies them): at most `concurrentCalls` of its calls in
 * flight at once (the others wait their turn, within the call's time budget), and at most `maxCalls` in all — a
 * call beyond that is refused with REQUEST_CALL_BUDGET before any department is asked. Both are refusals by the
 * hub, not failures of a department: they never count towards a breaker.
 */
import { bulkhead, type BulkheadPolicy } from 'cockatiel';

export interface RequestCallLimitsOptions {
  /** Department calls of one request in flight at once (across all connectors). */
  concurrentCalls: number;
  /** Department calls one request may make in all. */
  maxCalls: number;
}

export const DEFAULT_REQUEST_CALL_LIMITS: RequestCallLimitsOptions = { concurrentCalls: 16, maxCalls: 1000 };

export class RequestCallLimits {
  /** The request's bulkhead: `concurrentCalls` slots; every call the budget admits may wait for one. */
  readonly lane: BulkheadPolicy;
  private made = 0;

  constructor(readonly options: RequestCallLimitsOptions = DEFAULT_REQUEST_CALL_LIMITS) {
    this.lane = bulkhead(options.concurrentCalls, options.maxCalls);
  }

  /** Counts one more call; false (and nothing counted) once the request has made `maxCalls`. */
  take(): boolean {
    if (this.made >= this.options.maxCalls) return false;
    this.made += 1;
    return true;
  }

  /** Calls admitted so far. */
  get calls(): number {
    return this.made;
  }
}
