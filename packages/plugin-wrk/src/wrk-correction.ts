/**
 * wrk 4 silently "corrects" its latency distribution before printing it or handing it to a Lua
 * `done()`: `stats_correct` adds synthetic samples for every response slower than twice the average
 * per-connection request interval (a crude coordinated-omission fix for a closed loop). The result
 * holds more samples than wrk completed requests. iobench's closed-model histogram records what was
 * measured, one value per completed response, so this module undoes the correction exactly and can
 * re-apply it to check the inversion.
 *
 * Buckets are `[valueUs, count]` pairs with distinct values, as wrk's Lua `latency(i)` yields them.
 */

/** One latency bucket: a value in microseconds and how many samples had it. */
export type LatencyBucket = readonly [valueUs: number, count: number];

/**
 * The interval wrk corrects with: `runtime_us / (complete / connections)` in integer arithmetic, or
 * 0 when wrk applies no correction (fewer completed requests than connections).
 */
export function wrkCorrectionIntervalUs(durationUs: number, completed: number, connections: number): number {
  const perConnection = Math.floor(completed / connections);
  if (perConnection === 0) return 0;
  return Math.floor(durationUs / perConnection);
}

/**
 * What wrk's `stats_correct(stats, intervalUs)` does to a distribution: every sample at n >= 2e also
 * adds one sample at each of n-e, n-2e, ... while the value stays above e. Sorted by value.
 */
export function applyWrkCorrection(buckets: readonly LatencyBucket[], intervalUs: number): LatencyBucket[] {
  const counts = toMap(buckets);
  if (intervalUs > 0) {
    const e = intervalUs;
    for (const [n, count] of buckets) {
      if (n < 2 * e || count === 0) continue;
      for (let m = n - e; m > e; m -= e) counts.set(m, (counts.get(m) ?? 0) + count);
    }
  }
  return toSorted(counts);
}

/**
 * Inverse of `applyWrkCorrection`: the distribution wrk measured before it added synthetic samples.
 * A value m > e received one copy of every sample at m+e, m+2e, ...; walking values downwards, the
 * measured counts above m in m's residue class modulo e are already known, so m's own count follows.
 * Returns undefined when the input cannot be a corrected distribution (a count would go negative).
 */
export function undoWrkCorrection(buckets: readonly LatencyBucket[], intervalUs: number): LatencyBucket[] | undefined {
  if (intervalUs <= 0) return toSorted(toMap(buckets));
  const e = intervalUs;
  const descending = [...buckets].sort((a, b) => b[0] - a[0]);
  // Sum of measured counts already seen (all at higher values) per residue class modulo e.
  const higherInClass = new Map<number, number>();
  const measured = new Map<number, number>();
  for (const [m, corrected] of descending) {
    const residue = m % e;
    const synthetic = m > e ? (higherInClass.get(residue) ?? 0) : 0;
    const own = corrected - synthetic;
    if (own < 0) return undefined;
    if (own > 0) measured.set(m, own);
    higherInClass.set(residue, (higherInClass.get(residue) ?? 0) + own);
  }
  return toSorted(measured);
}

/** wrk's `stats_percentile`: the smallest value whose cumulative count reaches round(p% * n + 0.5). */
export function wrkPercentile(buckets: readonly LatencyBucket[], percentile: number): number {
  const total = buckets.reduce((sum, [, c]) => sum + c, 0);
  // C's round() rounds halves away from zero; the argument is positive here.
  const rank = Math.floor((percentile / 100) * total + 0.5 + 0.5);
  let cumulative = 0;
  for (const [value, count] of buckets) {
    cumulative += count;
    if (cumulative >= rank) return value;
  }
  return 0;
}

function toMap(buckets: readonly LatencyBucket[]): Map<number, number> {
  const map = new Map<number, number>();
  for (const [v, c] of buckets) map.set(v, (map.get(v) ?? 0) + c);
  return map;
}

function toSorted(map: Map<number, number>): LatencyBucket[] {
  return [...map.entries()].sort((a, b) => a[0] - b[0]);
}
