/**
 * A shared rate limit's points taken from the store in leases (issue 13): a process serving a busy consumer asks
 * the store for `leaseSize` points at once and hands them out itself, so the store (the hub database, Redis) is
 * asked once per lease instead of once per request.
 *
 * Contract:
 * - Across every process, no more requests are admitted in a window than the limit: the store grants a lease only
 *   from the points left in the window (its increments are atomic), and a lease ends with the window it came from.
 * - What a process leased and did not hand out when the window ends is lost: with N processes a consumer may be
 *   admitted up to N × (leaseSize − 1) fewer requests than the limit in a window. `leaseSizeFor` keeps that to 1 %
 *   of the limit per process, and to nothing below 200 a minute (a lease of one point: every request asks the
 *   store, as without leases).
 * - Once the store has no points left for a key, the process refuses it until the window ends without asking again.
 * - A store that cannot be reached rejects every request waiting for the lease (callers fail closed).
 */

/** Grants up to `points` of `key`'s limit in the current window: how many it granted, and when the window ends. */
export type TakePoints = (key: string, points: number) => Promise<{ granted: number; msBeforeNext: number }>;

interface Lease {
  left: number;
  /** Epoch ms at which the window the points came from ends. */
  until: number;
  /** The store granted fewer than asked: the window has nothing more. */
  exhausted: boolean;
}

/** Share of a limit that one lease takes: 1 %. */
const LEASE_SHARE = 100;

export const leaseSizeFor = (limit: number): number => Math.max(1, Math.floor(limit / LEASE_SHARE));

export class PointLeases {
  private readonly held = new Map<string, Lease>();
  private readonly refills = new Map<string, Promise<Lease>>();

  constructor(
    private readonly takePoints: TakePoints,
    private readonly leaseSize: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one point of `key`: null when the request is admitted, else the seconds until the window ends. */
  async take(key: string): Promise<number | null> {
    let lease = this.held.get(key);
    for (let refilled = false; ;) {
      if (lease && (refilled || this.now() < lease.until)) {
        if (lease.left > 0) {
          lease.left--;
          return null;
        }
        if (lease.exhausted) return secondsUntil(lease.until - this.now());
      }
      lease = await this.refill(key);
      refilled = true;
    }
  }

  /** One store request per key at a time: requests that arrive while it is out wait for its lease. */
  private refill(key: string): Promise<Lease> {
    let refill = this.refills.get(key);
    if (!refill) {
      refill = this.takePoints(key, this.leaseSize)
        .then(({ granted, msBeforeNext }) => {
          const lease = { left: granted, until: this.now() + msBeforeNext, exhausted: granted < this.leaseSize };
          this.held.set(key, lease);
          return lease;
        })
        .finally(() => this.refills.delete(key));
      this.refills.set(key, refill);
    }
    return refill;
  }
}

const secondsUntil = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
