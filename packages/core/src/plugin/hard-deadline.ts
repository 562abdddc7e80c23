/**
 * The hard deadline of a load run: whatever the target does (answers nothing, streams forever,
 * drips bytes), a load plugin's `run` returns within its duration plus the larger of its timeout
 * and 2 s — probes, child processes and threads included. The kit in `@iobench/core/testing` checks it.
 */
export const HARD_DEADLINE_SLACK_MIN_MS = 2000;

/** The longest one `run` may take, in milliseconds: `durationMs + max(timeoutMs, 2000)`. */
export function hardDeadlineMs(params: { durationMs: number; timeoutMs: number }): number {
  return params.durationMs + Math.max(params.timeoutMs, HARD_DEADLINE_SLACK_MIN_MS);
}
