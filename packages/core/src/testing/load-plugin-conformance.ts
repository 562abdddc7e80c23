/**
 * The load-plugin conformance kit: registers node:test tests that run a load plugin against tiny
 * servers on 127.0.0.1 and check what every iobench generator must do — counts that agree with the
 * server and the histogram, errors in the right class, aborts that leave nothing behind, and (for
 * generators with an open model) a rate held within 1% and coordinated omission corrected.
 */
import { describe, it } from 'node:test';
import type { LoadPlugin } from '../plugin/contract.js';
import * as checks from './load-plugin-checks.js';

/** Every check, in the order it runs, with its title, time bound, and what it needs of the generator. */
export const loadConformanceChecks = {
  countsMatch: {
    title: 'completed requests = histogram count = server answers (keep-alive, chunked)',
    run: checks.countsMatch,
    timeoutMs: 10_000,
  },
  closePerRequest: {
    title: 'a server closing after every answer: reconnect and count each',
    run: checks.closePerRequest,
    timeoutMs: 10_000,
  },
  refused: { title: 'connection refused -> connect errors', run: checks.refused, timeoutMs: 10_000 },
  reset: { title: 'connection reset -> reset errors', run: checks.reset, timeoutMs: 10_000 },
  timeout: { title: 'no answer within the timeout -> timeout errors', run: checks.timeout, timeoutMs: 10_000 },
  badStatus: {
    title: 'status 500 -> a completed request and a status error',
    run: checks.badStatus,
    timeoutMs: 10_000,
  },
  malformed: { title: 'a response that is not HTTP -> parse errors', run: checks.malformed, timeoutMs: 10_000 },
  closeMidResponse: {
    title: 'close in the middle of a body -> reset errors',
    run: checks.closeMidResponse,
    timeoutMs: 10_000,
  },
  abort: {
    title: 'abort ends the run within 1 s and leaves no socket or process',
    run: checks.abort,
    timeoutMs: 15_000,
  },
  openRate: {
    title: 'open model holds 1000 req/s within 1%',
    run: checks.openRate,
    timeoutMs: 20_000,
    needsRate: true,
  },
  stall: {
    title: 'a 500 ms stall shows in the corrected p99.9, not the uncorrected one',
    run: checks.stall,
    timeoutMs: 15_000,
    needsRate: true,
  },
} satisfies Record<string, { title: string; run: checks.LoadCheck; timeoutMs: number; needsRate?: boolean }>;

export type LoadCheckName = keyof typeof loadConformanceChecks;

/** Options of `runLoadConformance`. */
export interface LoadConformanceOptions {
  /** Raw options for the plugin's schema. */
  options?: Record<string, unknown>;
  /** False for closed-model-only generators: the open-model checks are skipped, saying so. Default true. */
  openModel?: boolean;
  /**
   * Error classes the generator reports in place of the expected one because its own counters
   * cannot tell them apart, e.g. `{ reset: 'read' }` for wrk. Documented deviations, not failures.
   */
  reportsAs?: checks.LoadCheckEnv['reportsAs'];
  /** Checks to skip, each with the reason shown in the test report. */
  skip?: Partial<Record<LoadCheckName, string>>;
  /** Skips every check with this reason (e.g. the generator's binary is not installed here). */
  unavailable?: string;
  /** Multiplies every check's time bound (slow machines). Default 1. */
  timeScale?: number;
}

/**
 * Registers a `describe` block checking that `plugin` behaves as every iobench load generator must.
 * Call it at the top level of a test file:
 *
 * ```ts
 * import { runLoadConformance } from '@iobench/core/testing';
 * import plugin from '../src/index.js';
 * runLoadConformance(plugin);
 * ```
 */
export function runLoadConformance(plugin: LoadPlugin<any>, options: LoadConformanceOptions = {}): void {
  const env: checks.LoadCheckEnv = { plugin, options: options.options ?? {}, reportsAs: options.reportsAs ?? {} };
  const timeScale = options.timeScale ?? 1;
  describe(`load plugin "${plugin.name}" conformance`, () => {
    for (const [name, check] of Object.entries(loadConformanceChecks) as [
      LoadCheckName,
      (typeof loadConformanceChecks)[LoadCheckName],
    ][]) {
      let skip = options.unavailable ?? options.skip?.[name];
      if (skip === undefined && 'needsRate' in check && options.openModel === false) {
        skip = `"${plugin.name}" runs a closed model only`;
      }
      it(check.title, { skip: skip ?? false, timeout: check.timeoutMs * timeScale }, () => check.run(env));
    }
  });
}
