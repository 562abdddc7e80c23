/**
 * `run --start-at`: the wait between each point's warm-up and its measured phase, until the
 * instant every shard measures that point from (see core's `intendedStart`).
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, formatDurationMs } from '@iobench/core';
import { parseDurationMs } from '@iobench/engine/config';
import type { RunOptions } from '@iobench/engine/run';
import { intendedStart, parseStartAt } from '@iobench/engine/shard';

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

/** How often `--start-at-file` is read: a ConfigMap volume is updated by swapping a symlink, which watchers miss. */
const START_FILE_POLL_MS = 250;

/** `--start-at-timeout`, in milliseconds. */
export function startAtTimeoutMs(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0)
    throw new ConfigError(`--start-at-timeout expects a duration such as 90s or 30m (got "${value}")`);
  return ms;
}

/**
 * `run --start-at-file`: the barrier. Waits until `path` exists and holds more than white space
 * (a Kubernetes ConfigMap key is an empty file until it is written), then parses it as `--start-at`.
 * An instant that has already passed means it arrived too late: the error names the file.
 */
export async function readStartAtFile(path: string, timeoutMs: number): Promise<Date> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw new ConfigError(`--start-at-file ${path} cannot be read: ${error.message}`, { cause: error });
    });
    if (text.trim()) {
      try {
        return parseStartAt(text.trim());
      } catch (error) {
        throw new ConfigError(`--start-at-file ${path}: ${(error as Error).message}`, {
          cause: error,
          suggestions: ['the instant reached this shard too late: give the shards more time (kube run --start-margin)'],
        });
      }
    }
    if (Date.now() >= deadline) {
      throw new ConfigError(
        `--start-at-file ${path} held no start instant after ${formatDurationMs(timeoutMs)} (--start-at-timeout); nothing opened the barrier`,
      );
    }
    await sleep(START_FILE_POLL_MS);
  }
}
