/**
 * Indicator arithmetic (DHIS2's model: value = factor × numerator / denominator), rounding, and progress
 * towards a plan target. Pure functions over numbers; the engine (indicators/) feeds them.
 *
 * Contract:
 * - `indicatorValue`: NO_DATA when the numerator (or a needed denominator) is unknown, ZERO_DENOMINATOR when
 *   the denominator is 0, else OK with the unrounded value; `roundTo` rounds half away from zero in decimal
 *   (1.005 → 1.01 at 2 decimals), so a published figure with d decimals compares equal when it should;
 * - `attainment`: the share of the way from baseline to target covered by the value, in the indicator's
 *   direction (1 = target reached; may exceed 1 or be negative); for MAINTAIN, or when target = baseline,
 *   1 when the value is at least the target (INCREASE/MAINTAIN) or at most it (DECREASE), else value/target;
 * - `targetStatus`: MET when the target is reached in the direction; ON_TRACK when attainment is at least the
 *   elapsed share of the plan (baseline year → target year) at the period's year; BEHIND otherwise;
 *   NO_TARGET without a target or a value.
 */

export type IndicatorDirection = 'INCREASE' | 'DECREASE' | 'MAINTAIN';
export type ValueStatus = 'OK' | 'NO_DATA' | 'ZERO_DENOMINATOR' | 'PARTIAL' | 'SUPPRESSED';
export type TargetStatus = 'MET' | 'ON_TRACK' | 'BEHIND' | 'NO_TARGET';

export function roundTo(value: number, decimals: number): number {
  const sign = value < 0 ? -1 : 1;
  const shifted = Number(`${Math.abs(value)}e${decimals}`);
  return sign * Number(`${Math.round(shifted)}e-${decimals}`);
}

export function indicatorValue(
  factor: number,
  numerator: number | null,
  denominator: number | null,
  hasDenominator: boolean,
): { status: 'OK' | 'NO_DATA' | 'ZERO_DENOMINATOR'; value: number | null } {
  if (numerator === null || (hasDenominator && denominator === null)) return { status: 'NO_DATA', value: null };
  if (!hasDenominator) return { status: 'OK', value: factor * numerator };
  if (denominator === 0) return { status: 'ZERO_DENOMINATOR', value: null };
  return { status: 'OK', value: (factor * numerator) / denominator! };
}

const reached = (value: number, target: number, direction: IndicatorDirection) =>
  direction === 'DECREASE' ? value <= target : value >= target;

export function attainment(
  value: number | null,
  baseline: number | null,
  target: number | null,
  direction: IndicatorDirection,
): number | null {
  if (value === null || target === null) return null;
  if (direction === 'MAINTAIN' || baseline === null || baseline === target) {
    if (reached(value, target, direction)) return 1;
    return target === 0 ? 0 : value / target;
  }
  return (value - baseline) / (target - baseline);
}

export function targetStatus(
  value: number | null,
  baseline: number | null,
  target: number | null,
  direction: IndicatorDirection,
  plan: { baselineYear: number; targetYear: number; year: number },
): TargetStatus {
  if (value === null || target === null) return 'NO_TARGET';
  if (reached(value, target, direction)) return 'MET';
  const progress = attainment(value, baseline, target, direction) ?? 0;
  const span = plan.targetYear - plan.baselineYear;
  const elapsed = span <= 0 ? 1 : Math.min(1, Math.max(0, (plan.year - plan.baselineYear) / span));
  return progress >= elapsed ? 'ON_TRACK' : 'BEHIND';
}
