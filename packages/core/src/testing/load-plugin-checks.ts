/**
 * The checks of the load-plugin conformance kit. Each drives the plugin the way core does (options
 * through its schema, bounded params) against a tiny server on 127.0.0.1 that does one thing, and
 * asserts on what a user would read in the result.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { histogramCount, summariseHistogram } from '../histogram/index.js';
import type { LoadParams, LoadPlugin, LoadResult } from '../plugin/contract.js';
import { validatePluginOptions } from '../plugin/options.js';
import { ERROR_CLASSES, type ErrorCounts } from '../results/model.js';
import * as servers from './http-test-servers.js';
import { eventually } from './start-server.js';

export type ErrorClass = keyof ErrorCounts;

/** What the checks share: the plugin, its raw options, and what it cannot tell apart. */
export interface LoadCheckEnv {
  plugin: LoadPlugin<any>;
  options: Record<string, unknown>;
  /**
   * Error classes the generator reports in place of the expected one, because its own counters
   * cannot tell them apart (wrk counts a reset as a read error). Keyed by the expected class.
   */
  reportsAs: Partial<Record<ErrorClass, ErrorClass>>;
}

export type LoadCheck = (env: LoadCheckEnv) => Promise<void>;

/** Runs the plugin once with bounded defaults. */
export async function runPlugin(
  env: LoadCheckEnv,
  url: string,
  params: Partial<LoadParams>,
  signal: AbortSignal = new AbortController().signal,
): Promise<LoadResult> {
  const options = await validatePluginOptions(env.plugin, env.options);
  const full: LoadParams = { connections: 2, durationMs: 500, threads: 1, pipelining: 1, timeoutMs: 2000, ...params };
  return env.plugin.run({ log: () => {}, signal, params: full }, { url }, options);
}

const nonZero = (errors: ErrorCounts) => ERROR_CLASSES.filter((c) => errors[c] > 0);

/** Asserts that the only errors counted are of `expected` (as this generator reports that class). */
function onlyErrors(env: LoadCheckEnv, result: LoadResult, expected: ErrorClass, what: string): void {
  const reported = env.reportsAs[expected] ?? expected;
  assert.deepEqual(nonZero(result.errors), [reported], `${what}: errors ${JSON.stringify(result.errors)}`);
}

/** Completed requests equal the histogram's count, and the server's own count up to what was in flight at the end. */
export const countsMatch: LoadCheck = async (env) => {
  for (const start of [servers.helloServer, servers.chunkedServer]) {
    const server = await start();
    try {
      const connections = 4;
      const result = await runPlugin(env, server.url, { connections, durationMs: 500 });
      assert.ok(result.requests > 0, `${start.name}: no request completed`);
      assert.equal(histogramCount(result.latency), result.requests, 'histogram count = completed requests');
      assert.ok(result.requests <= server.answered, `completed ${result.requests} <= answered ${server.answered}`);
      // In flight at the end: one per connection; and a generator may probe the target once first.
      assert.ok(
        server.answered - result.requests <= connections + 1,
        `${start.name}: the server answered ${server.answered}, the generator counted ${result.requests}: ` +
          `more than the ${connections} in flight at the end (and a probe) went missing`,
      );
      assert.deepEqual(nonZero(result.errors), [], `${start.name}: errors ${JSON.stringify(result.errors)}`);
      if (result.perConnection !== undefined) {
        assert.equal(
          result.perConnection.reduce((a, b) => a + b, 0),
          result.requests,
          'per-connection counts add up',
        );
      }
    } finally {
      await server.close();
    }
  }
};

/** A server that closes after every (close-delimited) answer: the generator reconnects and counts each. */
export const closePerRequest: LoadCheck = async (env) => {
  const server = await servers.closeDelimitedServer();
  try {
    const result = await runPlugin(env, server.url, { connections: 2, durationMs: 500 });
    assert.ok(result.requests >= 10, `only ${result.requests} close-delimited responses in 500 ms`);
    assert.ok(server.accepted >= result.requests, 'a new connection for every request');
    assert.deepEqual(nonZero(result.errors), [], `errors ${JSON.stringify(result.errors)}`);
  } finally {
    await server.close();
  }
};

export const refused: LoadCheck = async (env) => {
  const result = await runPlugin(env, await servers.refusedUrl(), { connections: 2, durationMs: 300 });
  onlyErrors(env, result, 'connect', 'connection refused');
  assert.equal(result.requests, 0);
};

export const reset: LoadCheck = async (env) => {
  const server = await servers.resettingServer();
  try {
    onlyErrors(env, await runPlugin(env, server.url, { durationMs: 300 }), 'reset', 'server resets');
  } finally {
    await server.close();
  }
};

export const timeout: LoadCheck = async (env) => {
  const server = await servers.silentServer();
  try {
    const result = await runPlugin(env, server.url, { durationMs: 1500, timeoutMs: 300 });
    onlyErrors(env, result, 'timeout', 'server never answers');
    assert.equal(result.requests, 0);
  } finally {
    await server.close();
  }
};

export const badStatus: LoadCheck = async (env) => {
  const server = await servers.helloServer(500);
  try {
    const result = await runPlugin(env, server.url, { durationMs: 300 });
    assert.ok(result.requests > 0, 'a 500 is a completed request');
    onlyErrors(env, result, 'status', 'status 500');
    assert.equal(result.errors.status, result.requests, 'every 500 counted once');
  } finally {
    await server.close();
  }
};

export const malformed: LoadCheck = async (env) => {
  const server = await servers.garbageServer();
  try {
    const result = await runPlugin(env, server.url, { durationMs: 300 });
    onlyErrors(env, result, 'parse', 'response is not HTTP');
    assert.equal(result.requests, 0);
  } finally {
    await server.close();
  }
};

export const closeMidResponse: LoadCheck = async (env) => {
  const server = await servers.closeMidResponseServer();
  try {
    const result = await runPlugin(env, server.url, { durationMs: 300 });
    onlyErrors(env, result, 'reset', 'server closes mid-body');
    assert.equal(result.requests, 0);
  } finally {
    await server.close();
  }
};

/** Sockets open in this process, and its child processes: nothing may outlive a run. */
function openSockets(): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) count++;
    } catch {
      // closed while we looked
    }
  }
  return count;
}

function childProcesses(): number[] {
  const children: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const text = readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim();
      if (text !== '') children.push(...text.split(/\s+/).map(Number));
    } catch {
      // a thread that ended while we looked
    }
  }
  return children;
}

/** An abort ends the run within 1 s, keeps what was measured, and leaves no socket or process behind. */
export const abort: LoadCheck = async (env) => {
  const server = await servers.helloServer();
  const socketsBefore = openSockets();
  // Children that exist already (tsx's esbuild service, say) are not the run's.
  const childrenBefore = new Set(childProcesses());
  const newChildren = () => childProcesses().filter((pid) => !childrenBefore.has(pid));
  try {
    const controller = new AbortController();
    const running = runPlugin(env, server.url, { connections: 4, durationMs: 20_000 }, controller.signal);
    await eventually(
      async () => server.answered > 50,
      5000,
      async () => `only ${server.answered} answered`,
    );
    const abortedAt = performance.now();
    controller.abort();
    const result = await running;
    const tookMs = performance.now() - abortedAt;
    assert.ok(tookMs < 1000, `the run ended ${Math.round(tookMs)} ms after the abort`);
    assert.ok(result.requests > 0, 'what was measured before the abort is kept');
    await eventually(
      async () => openSockets() <= socketsBefore && newChildren().length === 0,
      2000,
      async () => `after the run: ${openSockets()} sockets (before: ${socketsBefore}), new children ${newChildren()}`,
    );
  } finally {
    await server.close();
  }
};

/** Open model: at a sustainable rate the achieved rate is within 1% of the target (best of three on a busy machine). */
export const openRate: LoadCheck = async (env) => {
  const server = await servers.helloServer();
  try {
    const rate = 1000;
    const misses: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await runPlugin(env, server.url, { connections: 4, rate, durationMs: 1500 });
      assert.equal(histogramCount(result.latency), result.requests);
      assert.equal(histogramCount(result.latencyUncorrected!), result.requests, 'uncorrected histogram kept');
      assert.equal(result.schedule?.targetRate, rate);
      const achieved = (result.requests / result.durationMs) * 1000;
      if (Math.abs(achieved - rate) / rate <= 0.01) return;
      misses.push(`${achieved.toFixed(1)} req/s (dropped ${result.schedule?.droppedSends})`);
    }
    assert.fail(`achieved rate off by more than 1% of ${rate} in every attempt: ${misses.join('; ')}`);
  } finally {
    await server.close();
  }
};

/**
 * A 500 ms server stall shows in the corrected p99.9 and not in the uncorrected one: one connection
 * at 1000 req/s, so about 500 intended sends queue behind the stuck request.
 */
export const stall: LoadCheck = async (env) => {
  const server = await servers.stallingServer(300, 500);
  try {
    const result = await runPlugin(env, server.url, { connections: 1, rate: 1000, durationMs: 3000 });
    const corrected = summariseHistogram(result.latency);
    const uncorrected = summariseHistogram(result.latencyUncorrected!);
    assert.ok(corrected.p99_9 >= 400_000, `corrected p99.9 ${corrected.p99_9} µs should show the 500 ms stall`);
    assert.ok(uncorrected.p99_9 < 250_000, `uncorrected p99.9 ${uncorrected.p99_9} µs should not`);
    assert.ok(
      result.schedule!.lateSends >= 400,
      `sends held up by the stall count as late (${result.schedule!.lateSends})`,
    );
  } finally {
    await server.close();
  }
};
