/**
 * The one rule compare judges every change by, for a point's figures and a search's capacity alike:
 * a change within the spread of A's and B's measurements (their min–max ranges overlap) is noise,
 * and noise never fails the gate.
 */
import type { RepeatSpread } from '@iobench/core';

/** How one figure changed from A to B. */
export interface MetricChange {
  a: RepeatSpread;
  b: RepeatSpread;
  /** B's median minus A's median, in the figure's unit. */
  change: number;
  /** The change in percent of A's median; null when A's median is 0. */
  changePct: number | null;
  /** True when the ranges overlap: the change is within what repeats (or refinement rounds) alone vary by. */
  noise: boolean;
  verdict: 'better' | 'worse' | 'same';
  /**
   * True when this figure is gated, got worse by more than the threshold, and is not noise: a
   * change the spread explains never fails the gate (so no row reads `noise, REGRESSION`).
   */
  regression: boolean;
  /** True when this figure is gated and got worse by more than the threshold, but within noise: not failed, said. */
  beyondThresholdInNoise: boolean;
}

/**
 * The change from `a` to `b` of a figure for which `higherIsBetter` says which way is better,
 * judged against `thresholdPct` when the figure is gated.
 */
export function changeOf(
  a: RepeatSpread,
  b: RepeatSpread,
  higherIsBetter: boolean,
  thresholdPct: number | undefined,
): MetricChange {
  const change = round(b.median - a.median);
  const changePct = a.median === 0 ? null : round(((b.median - a.median) / a.median) * 100);
  const noise = a.min <= b.max && b.min <= a.max;
  const verdict = change === 0 ? 'same' : change > 0 === higherIsBetter ? 'better' : 'worse';
  // Worse by more than the threshold: the figure fell (or rose, for latency) by more than PCT% of A's median.
  const beyond =
    thresholdPct !== undefined && changePct !== null && verdict === 'worse' && Math.abs(changePct) > thresholdPct;
  // The one rule: a change within the spread is noise, and noise is never a regression.
  return {
    a,
    b,
    change,
    changePct,
    noise,
    verdict,
    regression: beyond && !noise,
    beyondThresholdInNoise: beyond && noise,
  };
}

/** Two decimals: what compare reports changes to. */
export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
