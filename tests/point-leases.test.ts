/**
 * Leases of a shared limit's points (server/access/point-leases.ts), through the hub's adapter over
 * rate-limiter-flexible's memory store standing in for the one store that several processes share: never more
 * admitted than the limit, at most (lease − 1) per process lost, the store asked once per lease, refusals answered
 * locally until the window ends.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { leaseSizeFor, PointLeases, type TakePoints } from '../server/access/point-leases';
import { takePoints } from '../server/access/rate-limits';

/** A store of `limit` points per `seconds`-long window (through the hub's adapter), counting the requests it answers. */
function sharedStore(limit: number, seconds = 60) {
  const points = takePoints(new RateLimiterMemory({ points: limit, duration: seconds }), limit);
  const asked: number[] = [];
  const take: TakePoints = (key, wanted) => {
    asked.push(wanted);
    return points(key, wanted);
  };
  return { take, asked };
}

const admittedOf = (answers: Array<number | null>) => answers.filter((a) => a === null).length;

describe('lease sizes', () => {
  it('are 1 % of the limit, and one point below 200 a minute', () => {
    expect([1, 6, 199, 200, 1200, 1_000_000].map(leaseSizeFor)).toEqual([1, 1, 1, 2, 12, 10_000]);
  });
});

describe('two processes sharing one limit', () => {
  it('admit no more than the limit between them, lose at most a lease less one each, and ask once per lease', async () => {
    const store = sharedStore(1000);
    const processes = [new PointLeases(store.take, 10), new PointLeases(store.take, 10)];
    const answers: Array<number | null> = [];
    // Uneven, interleaved traffic, some of it concurrent within a process.
    for (let i = 0; i < 1300; i++) {
      const batch = i % 7 === 0 ? [0, 0, 1] : [i % 3 === 0 ? 1 : 0];
      answers.push(...(await Promise.all(batch.map((p) => processes[p]!.take('consumer-1')))));
    }
    const admitted = admittedOf(answers);
    expect(admitted).toBeLessThanOrEqual(1000);
    expect(admitted).toBeGreaterThanOrEqual(1000 - 2 * 9);
    // About one store request per ten admitted; then each process asks once more and refuses locally.
    expect(store.asked.length).toBeLessThanOrEqual(Math.ceil(1000 / 10) + 4);
    expect(answers.slice(-50).every((a) => a !== null && a >= 1 && a <= 60)).toBe(true);
  });

  it('concurrent requests in one process wait for the one store request out', async () => {
    const store = sharedStore(1000);
    const leases = new PointLeases(store.take, 10);
    const answers = await Promise.all(Array.from({ length: 25 }, () => leases.take('consumer-1')));
    expect(admittedOf(answers)).toBe(25);
    expect(store.asked).toEqual([10, 10, 10]);
  });

  it('with leases of one point count every request in the store, exactly as without leases', async () => {
    const store = sharedStore(6);
    const processes = [new PointLeases(store.take, 1), new PointLeases(store.take, 1)];
    const answers: Array<number | null> = [];
    for (let i = 0; i < 8; i++) answers.push(await processes[i % 2]!.take('consumer-1'));
    expect(answers.map((a) => (a === null ? 200 : 429))).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });

  it('keeps consumers apart, and admits again once the window has ended', async () => {
    const store = sharedStore(4, 1);
    const leases = new PointLeases(store.take, 1);
    const first = await Promise.all([1, 2, 3, 4, 5].map(() => leases.take('a')));
    expect(admittedOf(first)).toBe(4);
    expect(await leases.take('b')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await leases.take('a')).toBeNull();
  });

  it('rejects every request waiting on a store that cannot be reached, and asks again for the next', async () => {
    let reachable = false;
    const store = sharedStore(100);
    const leases = new PointLeases(
      (key, points) => (reachable ? store.take(key, points) : Promise.reject(new Error('store down'))),
      1,
    );
    await expect(Promise.all([leases.take('a'), leases.take('a')])).rejects.toThrow('store down');
    reachable = true;
    expect(await leases.take('a')).toBeNull();
  });
});
