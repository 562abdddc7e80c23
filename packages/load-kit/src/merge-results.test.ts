import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, summariseHistogram } from '@iobench/core';
import { mergeThreadResults } from './merge-results.js';
import type { ThreadResult } from './thread-result.js';

function threadResult(
  latenciesUs: number[],
  perConnection: number[],
  statusCodes: Record<string, number> = { '200': latenciesUs.length },
): ThreadResult {
  const h = createLatencyHistogram();
  for (const v of latenciesUs) h.recordValue(v);
  return {
    requests: latenciesUs.length,
    bytes: 10 * latenciesUs.length,
    durationMs: 1000,
    errors: { connect: 1, read: 0, write: 0, timeout: 2, reset: 0, status: 0, parse: 0, tls: 0 },
    statusCodes,
    latency: encodeHistogram(h),
    connectLatency: encodeHistogram(createLatencyHistogram()),
    perSecondRequests: [latenciesUs.length],
    perSecondErrors: [3],
    perConnection,
    connectionsOpened: perConnection.length,
    loop: { utilization: 0.5, delayP99Us: 10, delayMaxUs: 20 },
    startedAtMs: 0,
  };
}

test('merges histograms exactly, sums counts and errors, concatenates connections', () => {
  const a = [100, 200, 300, 400];
  const b = [5000, 6000];
  const merged = mergeThreadResults([threadResult(a, [3, 1]), threadResult(b, [0, 2])], undefined);
  const all = createLatencyHistogram();
  for (const v of [...a, ...b]) all.recordValue(v);
  assert.deepEqual(summariseHistogram(merged.latency), summariseHistogram(encodeHistogram(all)));
  assert.equal(merged.requests, 6);
  assert.equal(merged.bytes, 60);
  assert.equal(merged.errors.connect, 2);
  assert.equal(merged.errors.timeout, 4);
  assert.deepEqual(merged.perConnection, [3, 1, 0, 2]);
  assert.deepEqual(merged.perSecond, [{ second: 0, requests: 6, errors: 6 }]);
  assert.equal(merged.schedule, undefined);
});

test('adds the status codes of the threads code by code', () => {
  const merged = mergeThreadResults(
    [threadResult([100, 200, 300], [3], { '200': 2, '404': 1 }), threadResult([400, 500], [2], { '404': 1, '503': 1 })],
    undefined,
  );
  assert.deepEqual(merged.statusCodes, { '200': 2, '404': 2, '503': 1 });
});

test('per-second latency histograms add up second by second across threads', () => {
  const hist = (values: number[]) => {
    const h = createLatencyHistogram();
    for (const v of values) h.recordValue(v);
    return encodeHistogram(h);
  };
  const a = {
    ...threadResult([100, 200, 300], [3]),
    perSecondRequests: [2, 1],
    latencyPerSecond: [hist([100, 200]), hist([300])],
  };
  const b = { ...threadResult([1000, 2000], [2]), perSecondRequests: [2], latencyPerSecond: [hist([1000, 2000])] };
  const merged = mergeThreadResults([a, b], undefined);
  assert.equal(merged.latencyPerSecond?.length, 2, 'one histogram per second of the longest thread');
  assert.deepEqual(
    merged.latencyPerSecond!.map((h) => summariseHistogram(h).max),
    [2000, 300],
  );
  assert.equal(
    merged.latencyPerSecond!.reduce((n, h) => n + decodeHistogram(h).totalCount, 0),
    merged.requests,
    'the seconds add up to the whole histogram',
  );
  assert.equal(
    mergeThreadResults([threadResult([100], [1])], undefined).latencyPerSecond,
    undefined,
    'a client that keeps no per-second histograms reports none',
  );
});
