/**
 * Repeats of a point (`--repeat N`): which points are repeats of one another, their median and
 * min–max range, and the verdict on a range too wide to trust. Every reader of repeats — the
 * console, markdown, html and csv reporters, `iobench compare` — takes them from here, so that
 * they agree on the grouping, the median and the warning.
 */
import type { PointResult } from './model.js';
import { stableJson } from './stable-json.js';

/** Repeats of one figure: their median and range. */
export interface RepeatSpread {
  /** The middle value; with an even count the mean of the two middle values, as in every statistics text. */
  median: number;
  min: number;
  max: number;
  /** Repeats the figure was taken from. */
  n: number;
}

/**
 * The widest spread of req/s across repeats that iobench takes as one measurement: (max − min) /
 * median, in percent. Wider, and a difference of that size between two servers or two commits
 * cannot be told from the machine's own noise — and 10% is about the largest regression a CI gate
 * is set to catch (`compare --fail-if-slower 5` or `10`), which repeats spread wider than that can
 * neither pass nor fail honestly. docs/methodology.md (Repeats) gives the reasoning.
 */
export const WIDE_SPREAD_PCT = 10;

/** The mark every table puts after a req/s range wider than `WIDE_SPREAD_PCT` (the note under it says why). */
export const WIDE_SPREAD_MARK = '!';

/** Median and range of `values` (non-finite ones left out); undefined when none is left. */
export function spreadOf(values: readonly number[]): RepeatSpread | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return undefined;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[n - 1]!, n };
}

/** (max − min) / median in percent: 0 for a single repeat; undefined when the median is 0. */
export function spreadPct(spread: RepeatSpread): number | undefined {
  if (spread.median === 0) return spread.max === spread.min ? 0 : undefined;
  return ((spread.max - spread.min) / Math.abs(spread.median)) * 100;
}

/**
 * True when the repeats' req/s spread more than `WIDE_SPREAD_PCT` of their median (a median of 0
 * with repeats that differ counts as wide).
 */
export function isWideSpread(spread: RepeatSpread | undefined): boolean {
  if (!spread || spread.n < 2) return false;
  const pct = spreadPct(spread);
  return pct === undefined || pct > WIDE_SPREAD_PCT;
}

/** What reporters say under their tables about a point whose repeats spread too widely. */
export function wideSpreadNote(label: string, rps: RepeatSpread, format: (n: number) => string): string {
  const pct = spreadPct(rps);
  const how = pct === undefined ? 'around a median of 0' : `${Math.round(pct)}% of the median`;
  return `${label}: the ${rps.n} repeats' req/s spread ${format(rps.min)}–${format(rps.max)}, ${how} (more than ${WIDE_SPREAD_PCT}%): the machine's own noise is as large as the differences this point could show; pin server and load (--server-cpus, --load-cpus), measure longer, or repeat more`;
}

/** Identity of a point across repeats and runs: server, load and parameters (not the repeat index). */
export function pointIdentity(point: Pick<PointResult, 'server' | 'load' | 'params'>): string {
  return stableJson([point.server, point.load, point.params]);
}

/** A point's id without the `/r<N>` repeat suffix, e.g. `epoll/undici/c64`. */
export function pointLabel(point: Pick<PointResult, 'id'>): string {
  return point.id.replace(/\/r\d+$/, '');
}

/**
 * The points grouped by `identity` (`pointIdentity` by default): each group holds the repeats of
 * one point in the order the run measured them; groups in the order of their first repeat.
 */
export function groupRepeats<P extends PointResult>(
  points: readonly P[],
  identity: (point: P) => string = pointIdentity,
): Map<string, P[]> {
  const groups = new Map<string, P[]>();
  for (const p of points) {
    const key = identity(p);
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  return groups;
}
