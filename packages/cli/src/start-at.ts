/**
 * `run --start-at`: the wait between each point's warm-up and its measured phase, until the
 * instant every shard measures that point from (see core's `intendedStart`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDurationMs } from '@iobench/core';
import type { RunOptions } from '@iobench/engine/run';
import { intendedStart } from '@iobench/engine/shard';

/** Longest single timer Node accepts (about 24.8 days); longer waits sleep in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The `beforeMeasure` hook of a run started at `startAt`. A point whose warm-up ends after its
 * instant measures at once and says so on stderr; its offset in results.json tells merge how late.
 */
export function waitForStartAt(
  startAt: Date,
  plan: { warmupMs: number; durationMs: number },
  signal: AbortSignal,
  stderr: NodeJS.WritableStream,
): NonNullable<RunOptions['beforeMeasure']> {
  return async (point, index) => {
    const at = intendedStart(startAt, index, plan);
    let waitMs = at.getTime() - Date.now();
    if (waitMs < 0) {
      stderr.write(
        `iobench: ${point.id}: warm-up ended ${formatDurationMs(Math.round(-waitMs))} after its start at ${at.toISOString()}; measuring late (the offset is recorded)\n`,
      );
      return at;
    }
    stderr.write(
      `iobench: ${point.id}: measured phase starts at ${at.toISOString()} (in ${formatDurationMs(Math.round(waitMs))})\n`,
    );
    while (waitMs > 0) {
      await sleep(Math.min(waitMs, MAX_TIMER_MS), undefined, { signal });
      waitMs = at.getTime() - Date.now();
    }
    return at;
  };
}
