/**
 * Seeded pseudo-random numbers for the synthetic data set (npm `pure-rand`, xoroshiro128+).
 *
 * Contract: a `Random` built from the same seed yields the same sequence on every machine and every run (no
 * `Math.random`, no clock). `fork(label)` derives an independent stream from the seed and a label, so each
 * generation stage draws from its own stream: adding draws to one stage does not shift the numbers another
 * stage sees. Instances are mutable (each call advances the stream); they are not shared across stages.
 */
import { createHash } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** The default seed: the date the Yuzhong 一老一小 plan was issued (2022-12-29). */
export const DEFAULT_SEED = 20221229;

/** A 32-bit seed derived from a parent seed and a label (SHA-256, so nearby labels give unrelated seeds). */
export function deriveSeed(seed: number, label: string): number {
  return createHash('sha256').update(`${seed}/${label}`).digest().readInt32BE(0);
}

export class Random {
  private readonly generator: RandomGenerator;

  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    this.generator = xoroshiro128plus(seed | 0);
  }

  /** An independent stream for a named stage, e.g. `random.fork('households')`. */
  fork(label: string): Random {
    return new Random(deriveSeed(this.seed, label));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    if (max < min) throw new Error(`empty range [${min}, ${max}]`);
    return min === max ? min : uniformInt(this.generator, min, max);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Normal distribution (Box-Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }

  /**
   * `count` distinct indexes of `weights`, drawn without replacement with probability proportional to weight
   * (Efraimidis-Spirakis keys). Zero weights are never drawn. Returned in draw order (heaviest keys first).
   */
  sampleWeighted(weights: readonly number[], count: number): number[] {
    const keyed: Array<[number, number]> = [];
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (w > 0) keyed.push([Math.log(1 - this.float()) / w, i]);
    }
    keyed.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    return keyed.slice(0, count).map(([, i]) => i);
  }
}

/** A fixed discrete distribution, precomputed for fast repeated draws (binary search on cumulative weights). */
export class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) throw new Error('WeightedTable needs one weight per item');
    let sum = 0;
    for (const w of weights) {
      if (!(w >= 0)) throw new Error('weights must be non-negative');
      sum += w;
      this.cumulative.push(sum);
    }
    if (sum <= 0) throw new Error('weights must not all be zero');
    this.total = sum;
  }

  static of<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
    return new WeightedTable(
      entries.map(([item]) => item),
      entries.map(([, w]) => w),
    );
  }

  draw(random: Random): T {
    const target = random.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
