/**
 * `--start-at`: load generators on several hosts start their measured phases at the same instant,
 * with no channel between them but their clocks. Every point of the plan gets its own instant,
 * fixed in advance, so that shards stay aligned point after point without talking to each other.
 */
import { ConfigError } from '@iobench/core';

/**
 * Time left between one point's measured phase and the next point's warm-up, for stopping and
 * starting a server and opening idle connections. Generous: a shard that is late measures late (and
 * its offset says so); one that is early only waits.
 */
export const START_SLACK_MS = 2000;

/** Parses `--start-at` (an ISO 8601 time with a time zone) and refuses a time that has passed. */
export function parseStartAt(value: string, nowMs: number = Date.now()): Date {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
  const at = new Date(value);
  if (!iso.test(value.trim()) || Number.isNaN(at.getTime())) {
    throw new ConfigError(
      `--start-at expects an ISO 8601 time with a time zone, such as ${new Date(nowMs + 60_000).toISOString().replace(/\.\d+Z$/, 'Z')}; received "${value}"`,
    );
  }
  if (at.getTime() <= nowMs) {
    throw new ConfigError(
      `--start-at ${value} is in the past (now ${new Date(nowMs).toISOString()}); every shard must be started before it`,
      { suggestions: ['pick a time far enough ahead for every shard to start and warm up'] },
    );
  }
  return at;
}

/**
 * When point `index` (in plan order) starts its measured phase: point 0 at `startAt`, each next one
 * a warm-up, a measured phase and `START_SLACK_MS` later.
 */
export function intendedStart(startAt: Date, index: number, plan: { warmupMs: number; durationMs: number }): Date {
  return new Date(startAt.getTime() + index * startSpacingMs(plan));
}

/** Time between two consecutive points' measured starts under `--start-at`. */
export function startSpacingMs(plan: { warmupMs: number; durationMs: number }): number {
  return plan.warmupMs + plan.durationMs + START_SLACK_MS;
}
