/**
 * What every load generator must do against a hostile target (hostile-servers.ts): end within the
 * hard deadline `duration + max(timeout, 2 s)` whatever the server does, never fail with an internal
 * error, and count what the server did in the error class that names it. The expected class of each
 * hostile kind is one table, so generators that can tell agree; where a generator's own counters
 * cannot tell (wrk), its deviation is written down here, with the reason, not in a test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadPlugin, LoadResult } from '../plugin/contract.js';
import { hardDeadlineMs } from '../plugin/hard-deadline.js';
import { ERROR_CLASSES } from '../results/model.js';
import { type HostileKind, hostileKinds, hostileServer } from './hostile-servers.js';
import { type ErrorClass, type LoadCheckEnv, runPlugin } from './load-plugin-checks.js';

/** What a generator that can tell must count for a hostile kind. */
export interface HostileExpectation {
  /** The one error class counted. */
  errors: ErrorClass;
  /** Whether some requests may complete too (the first response of a server sending two). */
  mayComplete?: boolean;
}

/** The class every generator that can tell counts, kind by kind. */
export const hostileExpectations: Record<HostileKind, HostileExpectation> = {
  extraResponses: { errors: 'parse', mayComplete: true },
  responsesBeforeRequest: { errors: 'parse', mayComplete: true },
  // 1xx heads count towards the response's head limit: endless ones are an oversized head.
  endless1xx: { errors: 'parse' },
  endlessHeader: { errors: 'parse' },
  endlessBody: { errors: 'timeout' },
  endlessChunks: { errors: 'timeout' },
  endlessTrailers: { errors: 'parse' },
  negativeLength: { errors: 'parse' },
  overflowingLength: { errors: 'parse' },
  conflictingLengths: { errors: 'parse' },
  lengthWithChunked: { errors: 'parse' },
  badChunkSize: { errors: 'parse' },
  badStatusLine: { errors: 'parse' },
  nulInHeader: { errors: 'parse' },
  bareCrInHeader: { errors: 'parse' },
  dripOneByte: { errors: 'timeout' },
  closeMidHead: { errors: 'reset' },
  resetMidHead: { errors: 'reset' },
  closeMidBody: { errors: 'reset' },
  resetMidBody: { errors: 'reset' },
  halfClose: { errors: 'reset' },
  neverAnswers: { errors: 'timeout' },
  closesWithoutAnswer: { errors: 'reset' },
};

/** How a generator that cannot tell a kind apart reports it instead, with why. */
export interface HostileDeviation {
  /** The class it counts instead (or `none`: it counts nothing, or counts the responses as completed). */
  reportsAs: ErrorClass | 'none';
  /** It counts the hostile responses as completed requests. */
  completes?: boolean;
  why: string;
}

/**
 * Per-plugin deviations from `hostileExpectations`, for generators whose counters cannot tell.
 * native and undici have none: they agree on every kind.
 */
export const hostileDeviations: Record<string, Partial<Record<HostileKind, HostileDeviation>>> = {
  wrk: {
    ...Object.fromEntries(
      (Object.keys(hostileExpectations) as HostileKind[])
        .filter((kind) => ['parse', 'reset'].includes(hostileExpectations[kind].errors))
        .map((kind) => [kind, { reportsAs: 'read', why: 'wrk folds parse errors and resets into read errors' }]),
    ),
    extraResponses: {
      reportsAs: 'none',
      completes: true,
      why: 'wrk pairs responses with requests by order only: the extra responses count as completed',
    },
    responsesBeforeRequest: {
      reportsAs: 'none',
      completes: true,
      why: 'wrk pairs responses with requests by order only: the early responses count as completed',
    },
    endless1xx: {
      reportsAs: 'timeout',
      why: 'wrk skips 1xx heads without a limit: the final response never comes, a timeout',
    },
  },
};

/** Runs `plugin` against one hostile kind and checks the outcome; returns the result for reports. */
export async function checkHostileKind(env: LoadCheckEnv, kind: HostileKind): Promise<LoadResult> {
  // A timeout well inside the run, so that requests left hanging time out before it ends; short,
  // as every generator runs all the kinds (most of the kit's time is these runs).
  const params = { connections: 2, durationMs: 300, timeoutMs: 150 };
  const deadlineMs = hardDeadlineMs(params);
  const server = await hostileServer(kind, { lifetimeMs: deadlineMs + 5000 });
  try {
    const startedAt = performance.now();
    let result: LoadResult;
    try {
      result = await runPlugin(env, server.url, params);
    } catch (err) {
      assert.fail(`"${env.plugin.name}" failed against a server that ${hostileKinds[kind]}: ${(err as Error).message}`);
    }
    const tookMs = performance.now() - startedAt;
    assert.ok(
      tookMs <= deadlineMs,
      `the run took ${Math.round(tookMs)} ms, past its hard deadline of ${deadlineMs} ms (duration + max(timeout, 2 s))`,
    );
    const counted = ERROR_CLASSES.filter((c) => result.errors[c] > 0);
    const what = `against a server that ${hostileKinds[kind]}: ${result.requests} completed, errors ${JSON.stringify(result.errors)}`;
    const deviation = hostileDeviations[env.plugin.name]?.[kind];
    const expected = hostileExpectations[kind];
    const errorClass = deviation === undefined ? expected.errors : deviation.reportsAs;
    assert.deepEqual(counted, errorClass === 'none' ? [] : [errorClass], what);
    if (!(expected.mayComplete || deviation?.completes)) assert.equal(result.requests, 0, what);
    return result;
  } finally {
    await server.close();
  }
}

/** Options of `runHostileConformance`. */
export interface HostileConformanceOptions {
  /** Raw options for the plugin's schema. */
  options?: Record<string, unknown>;
  /** Skips every kind with this reason (e.g. the generator's binary is not installed here). */
  unavailable?: string;
  /** Kinds to skip, each with the reason shown in the test report. */
  skip?: Partial<Record<HostileKind, string>>;
}

/**
 * Registers a `describe` block running `plugin` against every hostile kind, one after the other
 * (each a 300 ms run with a 150 ms timeout), checking the hard deadline and the error class counted
 * (`hostileExpectations`, or the plugin's documented `hostileDeviations`).
 */
export function runHostileConformance(plugin: LoadPlugin<any>, options: HostileConformanceOptions = {}): void {
  const env: LoadCheckEnv = { plugin, options: options.options ?? {}, reportsAs: {} };
  describe(`load plugin "${plugin.name}" against hostile servers`, () => {
    for (const kind of Object.keys(hostileKinds) as HostileKind[]) {
      const deviation = hostileDeviations[plugin.name]?.[kind];
      const counts =
        deviation === undefined ? hostileExpectations[kind].errors : `${deviation.reportsAs} (${deviation.why})`;
      const skip = options.unavailable ?? options.skip?.[kind] ?? false;
      it(`a server that ${hostileKinds[kind]} -> ${counts}`, { skip, timeout: 15_000 }, async () => {
        await checkHostileKind(env, kind);
      });
    }
  });
}
