/** What `iobench merge` prints about each merged point: every part's req/s and how aligned they started. */
import type { PointResult } from '@iobench/core';

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Per point, a line with the merged req/s and the start skew, then one line per part (shard or
 * file): its connections, req/s, start offset from `--start-at` when there was one, and its file.
 */
export function renderMergeSummary(points: PointResult[]): string {
  const lines: string[] = [];
  for (const point of points) {
    const summary = point.merge;
    if (!summary) continue;
    const skew =
      summary.startSkewMs === undefined
        ? 'start times not recorded'
        : `measured phases started within ${ms(summary.startSkewMs)}`;
    const sharded = summary.parts.some((p) => p.shard !== undefined);
    const parts = `${summary.parts.length} ${sharded ? 'shards' : 'files'}`;
    // A shard's share adds up to the plan's total; separate runs' connections add up to more than any one ran.
    const connections = summary.connections ?? summary.parts.reduce((n, p) => n + p.connections, 0);
    const summed = sharded ? '' : ` (${summary.parts.map((p) => p.connections).join(' + ')} summed)`;
    const overlap = summary.overlapPct === undefined ? '' : `, together for ${summary.overlapPct}% of the longest`;
    lines.push(
      `${point.id}: ${number.format(point.rps)} req/s from ${parts}, ${number.format(point.requests)} requests on ${connections} connections${summed}; ${skew}${overlap}`,
    );
    for (const part of summary.parts) {
      const name = part.shard === undefined ? part.hostname : `shard ${part.shard}`;
      const offset = part.measuredStart?.offsetMs;
      lines.push(
        `  ${name.padEnd(8)} ${number.format(part.rps).padStart(9)} req/s  ${String(part.connections).padStart(5)} conns${offset === undefined ? '' : `  start ${offset >= 0 ? '+' : ''}${ms(offset)}`}  ${part.file}`,
      );
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function ms(value: number): string {
  return `${value.toFixed(Math.abs(value) < 10 ? 2 : 1)} ms`;
}
