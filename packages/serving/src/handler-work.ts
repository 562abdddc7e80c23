/**
 * Per-request handler work: what a server does between parsing a request and answering it.
 * `cpu` burns the thread for N microseconds (a compute-bound handler); `wait` blocks the thread for
 * N microseconds without burning CPU (a blocking backend call, e.g. a synchronous database driver).
 */
import { z } from 'zod';

/** Work done for every request; see `performWork`. */
export type HandlerWork = { kind: 'none' } | { kind: 'cpu'; us: number } | { kind: 'wait'; us: number };

/** Upper bound on per-request work, to catch unit mistakes (`wait:1000000000`). */
export const MAX_HANDLER_WORK_US = 60_000_000;

const WORK_PATTERN = /^(cpu|wait):(\d+)$/;
const EXPECTED = `'none', 'cpu:<µs>' or 'wait:<µs>' with a whole number of microseconds up to ${MAX_HANDLER_WORK_US}`;

/** Parses `'none'`, `'cpu:200'`, `'wait:1000'`; returns a message naming what was expected on failure. */
export function parseHandlerWork(text: string): HandlerWork | string {
  const trimmed = text.trim();
  if (trimmed === 'none') return { kind: 'none' };
  const match = WORK_PATTERN.exec(trimmed);
  if (match === null) return `work must be ${EXPECTED} (got ${JSON.stringify(text)})`;
  const us = Number(match[2]);
  if (us > MAX_HANDLER_WORK_US) return `work must be at most ${MAX_HANDLER_WORK_US} µs (got ${JSON.stringify(text)})`;
  return match[1] === 'cpu' ? { kind: 'cpu', us } : { kind: 'wait', us };
}

/** The parsed form is accepted too, so options that were parsed once (e.g. in the parent) parse again. */
const workObject = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('cpu'), us: z.number().int().min(0).max(MAX_HANDLER_WORK_US) }),
  z.strictObject({ kind: z.literal('wait'), us: z.number().int().min(0).max(MAX_HANDLER_WORK_US) }),
]);

/** Schema for the `work` option: `'none' | 'cpu:<µs>' | 'wait:<µs>'` (or a `HandlerWork`), parsed to `HandlerWork`. */
export const handlerWorkSchema = z
  .union([workObject, z.string()], {
    error: (issue) => `work must be ${EXPECTED} (got ${JSON.stringify(issue.input)})`,
  })
  .transform((value, ctx): HandlerWork => {
    if (typeof value !== 'string') return value;
    const parsed = parseHandlerWork(value);
    if (typeof parsed === 'string') {
      ctx.issues.push({ code: 'custom', message: parsed, input: value });
      return z.NEVER;
    }
    return parsed;
  })
  .describe("per-request handler work: 'none', 'cpu:<µs>' (busy spin) or 'wait:<µs>' (blocking wait)");

/** One shared cell to wait on; nobody ever notifies it, so `Atomics.wait` always runs to its timeout. */
const waitCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Performs `work` synchronously on the calling thread. `cpu` spins on `process.hrtime.bigint()` for
 * the given microseconds; `wait` blocks the thread in `Atomics.wait` (no CPU used, nothing else runs on
 * this thread meanwhile — exactly what a blocking backend call does to an event loop).
 */
export function performWork(work: HandlerWork): void {
  if (work.kind === 'none' || work.us <= 0) return;
  if (work.kind === 'cpu') {
    const endNs = process.hrtime.bigint() + BigInt(work.us) * 1000n;
    while (process.hrtime.bigint() < endNs) {
      // busy spin: the point is to burn this thread's CPU
    }
    return;
  }
  Atomics.wait(waitCell, 0, 0, work.us / 1000);
}
