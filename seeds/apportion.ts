/**
 * Integer apportionment: split an exact total into integer parts proportional to weights (largest-remainder
 * method), optionally with a floor and a ceiling per part. Used wherever a calibrated total (people of an age
 * band, beds, places) must come out exact while its parts only need to be plausible.
 *
 * Contract: the parts always sum to `total` when that is feasible (sum of minimums ≤ total ≤ sum of caps);
 * otherwise it throws. Ties are broken by index, so the result is deterministic.
 */

export function apportion(
  total: number,
  weights: readonly number[],
  options: { min?: number | readonly number[]; caps?: readonly number[] } = {},
): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error(`apportion needs a non-negative integer total, got ${total}`);
  const n = weights.length;
  if (n === 0) {
    if (total === 0) return [];
    throw new Error('apportion of a positive total over no parts');
  }
  const minOf = (i: number) => (typeof options.min === 'number' ? options.min : (options.min?.[i] ?? 0));
  const capOf = (i: number) => options.caps?.[i] ?? Infinity;
  const parts = weights.map((_, i) => minOf(i));
  let sumMin = 0;
  let sumCap = 0;
  for (let i = 0; i < n; i++) {
    if (minOf(i) > capOf(i)) throw new Error(`part ${i}: minimum above cap`);
    sumMin += minOf(i);
    sumCap += capOf(i);
  }
  if (sumMin > total || sumCap < total) {
    throw new Error(`cannot apportion ${total} within minimums ${sumMin} and caps ${sumCap}`);
  }
  let remaining = total - sumMin;
  // Repeat: share what remains among parts still below their cap; caps can leave a remainder for a new round.
  while (remaining > 0) {
    const open = [];
    for (let i = 0; i < n; i++) if (parts[i]! < capOf(i)) open.push(i);
    let weightSum = open.reduce((s, i) => s + Math.max(0, weights[i]!), 0);
    const weightOf = (i: number) => (weightSum > 0 ? Math.max(0, weights[i]!) : 1);
    if (weightSum <= 0) weightSum = open.length;
    const shares = open.map((i) => {
      const exact = (remaining * weightOf(i)) / weightSum;
      const room = capOf(i) - parts[i]!;
      const whole = Math.min(Math.floor(exact), room);
      return { i, whole, remainder: whole < room ? exact - Math.floor(exact) : -1 };
    });
    let given = 0;
    for (const s of shares) {
      parts[s.i]! += s.whole;
      given += s.whole;
    }
    remaining -= given;
    shares.sort((a, b) => b.remainder - a.remainder || a.i - b.i);
    for (const s of shares) {
      if (remaining === 0) break;
      if (s.remainder < 0 || parts[s.i]! >= capOf(s.i)) continue;
      parts[s.i]! += 1;
      remaining--;
    }
  }
  return parts;
}
