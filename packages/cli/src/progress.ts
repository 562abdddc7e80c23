/**
 * The live view of a run on a terminal (stderr): one line redrawn every second with the current
 * point's throughput, median and p99 latency over the last second, errors, a req/s sparkline and
 * the time left. Never used off a TTY or with --json.
 */
import type { LoadProgress } from '@iobench/core';
import { formatCount, formatLatencyUs } from '@iobench/core';
import type { RunOptions } from '@iobench/engine/run';

type ProgressEvent = Parameters<NonNullable<RunOptions['onProgress']>>[0];

const SPARKS = '▁▂▃▄▅▆▇█';
/** Seconds of req/s history the sparkline shows. */
const HISTORY = 20;

export class LiveView {
  private shown = false;
  private pointId?: string;
  private previous?: LoadProgress;
  private history: number[] = [];

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(event: ProgressEvent): void {
    const { point, progress } = event;
    if (point.id !== this.pointId) {
      this.pointId = point.id;
      this.previous = undefined;
      this.history = [];
    }
    const before = this.previous ?? { elapsedMs: 0, requests: 0, errors: 0 };
    this.previous = progress;
    const seconds = (progress.elapsedMs - before.elapsedMs) / 1000;
    const rps = seconds > 0 ? (progress.requests - before.requests) / seconds : 0;
    this.history = [...this.history, rps].slice(-HISTORY);
    const text = liveLine(event, rps, progress.errors - before.errors, this.history);
    this.stream.write(`\r\x1b[2K${text.slice(0, (this.stream.columns || 100) - 1)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

/**
 * `[2/6] epoll/native/c64/r0  3s/5s  48,210 req/s  p50 120µs  p99 1.21ms  0 errors  ▅▇█  ~12s left`:
 * req/s and latency of the last second, errors in all (and in the last second when there were some).
 */
export function liveLine(
  { point, index, total, progress }: ProgressEvent,
  rps: number,
  newErrors: number,
  history: number[],
): string {
  const { durationMs, warmupMs } = point.params;
  const elapsed = Math.min(durationMs, progress.elapsedMs);
  const pointsLeft = total - index - 1;
  const left = (durationMs - elapsed) / 1000 + pointsLeft * ((durationMs + warmupMs) / 1000 + 0.5);
  const latency = progress.recent
    ? `p50 ${formatLatencyUs(progress.recent.p50Us)}  p99 ${formatLatencyUs(progress.recent.p99Us)}`
    : 'p50 -  p99 -';
  const errors = `${formatCount(progress.errors)} errors${newErrors > 0 ? ` (+${formatCount(newErrors)})` : ''}`;
  return [
    `[${index + 1}/${total}] ${point.id}`,
    `${Math.round(elapsed / 1000)}s/${Math.round(durationMs / 1000)}s`,
    `${formatCount(rps)} req/s`,
    latency,
    errors,
    sparkline(history),
    `~${Math.ceil(left)}s left`,
  ].join('  ');
}

/** req/s per second as bars scaled to the highest. */
function sparkline(values: number[]): string {
  const top = Math.max(...values);
  if (!(top > 0)) return '';
  return values.map((v) => SPARKS[Math.min(SPARKS.length - 1, Math.floor((v / top) * (SPARKS.length - 1)))]).join('');
}
