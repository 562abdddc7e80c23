/**
 * The capacity table markdown and html render, and the cells the `capacity.csv` of the csv reporter
 * shares with it: one row per capacity search (`--find-capacity`), with the answer in words for
 * the outcomes that have no plain number.
 */
import type { CapacityResult } from '@iobench/core';
import { capacityBracketText, formatCount } from '@iobench/core';
import type { TextTable } from './sweep-table.js';

/**
 * The capacity as a reader should take it: `41,800 req/s`; `above 52,000 req/s (generator-bound at
 * 52,000; add generator threads)`; `below the lowest rate probed`; for an interrupted search the
 * bracket it had (`between 1,460 and 1,710 req/s (search interrupted)`); or `search failed`.
 */
export function capacityAnswer(c: CapacityResult): string {
  const rate = c.rate === undefined ? undefined : formatCount(c.rate);
  switch (c.outcome) {
    case 'found':
      return rate ? `${rate} req/s` : '-';
    case 'generator-bound':
      return rate
        ? `above ${rate} req/s (generator-bound at ${rate}; add generator threads)`
        : 'generator-bound (add generator threads)';
    case 'none':
      return 'below the lowest rate probed';
    case 'interrupted': {
      const bracket = capacityBracketText(c.bracket);
      return bracket ? `${bracket} (search interrupted)` : 'search interrupted';
    }
    default:
      return `search ${c.outcome}`;
  }
}

/** The rounds' lowest and highest estimate, `40,900–42,500`; `-` without refinement rounds. */
export function capacityInterval(c: CapacityResult): string {
  return c.low !== undefined && c.high !== undefined ? `${formatCount(c.low)}–${formatCount(c.high)}` : '-';
}

/** One row per search; undefined when the run searched for no capacity. */
export function capacityTable(capacity: readonly CapacityResult[]): TextTable | undefined {
  if (capacity.length === 0) return undefined;
  const header = ['server', 'load', 'SLO', 'capacity', 'interval', 'rounds', 'saturation req/s', 'outcome', 'probes'];
  const rows = capacity.map((c) => [
    c.anchor ? `${c.server} (anchor)` : c.server,
    c.load,
    c.slo.join(', ') || '-',
    capacityAnswer(c),
    capacityInterval(c),
    String(c.estimates.length),
    c.saturationRps === undefined ? '-' : formatCount(c.saturationRps),
    c.outcome,
    String(c.probes),
  ]);
  return {
    title: 'Capacity',
    header,
    numeric: [false, false, false, false, true, true, true, false, true],
    wrap: header.map((h) => h === 'capacity'),
    rows,
  };
}

/** What the capacity table's columns mean, for a line under it. */
export const CAPACITY_LEGEND =
  'capacity: the highest offered rate (open model) that met every SLO, kept its schedule and did not saturate the generator — the median of the refinement rounds; interval: their lowest and highest estimate; saturation: closed-model throughput at the same connections, the ceiling the search started from.';
