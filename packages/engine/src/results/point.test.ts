import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLatencyHistogram, encodeHistogram } from '@iobench/core/histogram';
import type { ServerSnapshot } from '../run/server-process.js';
import { assemblePoint, serverDelta } from './point.js';

function snapshot(
  userCpuUs: number,
  systemCpuUs: number,
  voluntary: number,
  involuntary: number,
  accepts: number,
): ServerSnapshot {
  return {
    stats: { accepted: accepts, refused: 0, requests: 0, errors: {}, syscalls: { accept4: accepts } },
    usage: { userCpuUs, systemCpuUs, voluntaryCtxSwitches: voluntary, involuntaryCtxSwitches: involuntary },
  };
}

test('serverDelta gives the measured phase per request: CPU split user/system, switches voluntary/involuntary, syscalls', () => {
  const stats = serverDelta(snapshot(1000, 500, 10, 1, 5), snapshot(4000, 2500, 410, 21, 205), 200);
  assert.equal(stats.cpuUsPerRequest, 25);
  assert.equal(stats.userCpuUsPerRequest, 15);
  assert.equal(stats.systemCpuUsPerRequest, 10);
  assert.equal(stats.ctxSwitchesPerRequest, 2.1);
  assert.equal(stats.voluntaryCtxSwitchesPerRequest, 2);
  assert.equal(stats.involuntaryCtxSwitchesPerRequest, 0.1);
  assert.deepEqual(stats.syscallsPerRequest, { accept4: 1 });
});

test('serverDelta with no requests reports zero per request instead of dividing by zero', () => {
  const stats = serverDelta(snapshot(0, 0, 0, 0, 0), snapshot(300, 200, 3, 1, 0), 0);
  assert.deepEqual(
    [
      stats.cpuUsPerRequest,
      stats.userCpuUsPerRequest,
      stats.systemCpuUsPerRequest,
      stats.voluntaryCtxSwitchesPerRequest,
      stats.involuntaryCtxSwitchesPerRequest,
    ],
    [0, 0, 0, 0, 0],
  );
  assert.equal(stats.cpuUs, 500);
});

test('a point that completed no request is failed with the reason, and not generator-bound', () => {
  const params = { connections: 4, durationMs: 300, warmupMs: 0, threads: 1, pipelining: 1, timeoutMs: 5000 };
  const point = assemblePoint({
    base: {
      id: 'basic/undici/c4/r0',
      server: 'basic',
      load: 'undici',
      target: 'http://127.0.0.1:1/',
      params: { ...params, idleConnections: 1 },
      repeat: 0,
      serverOptions: {},
      loadOptions: {},
      startedAt: new Date(0).toISOString(),
    },
    load: {
      requests: 0,
      bytes: 0,
      durationMs: 301,
      errors: { connect: 0, read: 0, write: 0, timeout: 2, reset: 0, status: 0, parse: 0, tls: 0 },
      latency: encodeHistogram(createLatencyHistogram()),
      perConnection: [0, 0, 0, 0],
      generatorBound: true,
    },
    // A generator waiting on a server that answers nothing can still burn its core.
    loadCpuUs: 300_000,
    server: serverDelta(snapshot(0, 0, 0, 0, 0), snapshot(10, 10, 1, 0, 0), 0),
    idle: { requested: 1, held: 1 },
  });
  assert.equal(point.status, 'failed');
  assert.deepEqual(point.error, {
    code: 'IOBENCH_POINT_EMPTY',
    message:
      'completed no request in 300ms (errors: 2 timeout; 4 of 4 connections starved; the server accepted 0 connection(s); 1 of 1 idle connection(s) held open)',
  });
  assert.equal(point.loadStats.generatorBound, false);
  assert.equal(point.loadStats.generatorBoundReason, undefined);
});

test('the latency of each second lands in that second’s sample, summarised once, in results', () => {
  const hist = (values: number[]) => {
    const h = createLatencyHistogram();
    for (const v of values) h.recordValue(v);
    return encodeHistogram(h);
  };
  const point = assemblePoint({
    base: {
      id: 'epoll/native/c4/r0',
      server: 'epoll',
      load: 'native',
      target: 'http://127.0.0.1:1/',
      params: {
        connections: 4,
        durationMs: 2000,
        warmupMs: 0,
        threads: 1,
        pipelining: 1,
        timeoutMs: 5000,
        idleConnections: 0,
      },
      repeat: 0,
      serverOptions: {},
      loadOptions: {},
      startedAt: new Date(0).toISOString(),
    },
    load: {
      requests: 4,
      bytes: 400,
      durationMs: 2000,
      errors: { connect: 0, read: 0, write: 0, timeout: 0, reset: 0, status: 0, parse: 0, tls: 0 },
      latency: hist([100, 200, 3000, 4000]),
      perSecond: [
        { second: 0, requests: 2, errors: 0 },
        { second: 1, requests: 2, errors: 0 },
      ],
      latencyPerSecond: [hist([100, 200]), hist([3000, 4000])],
    },
    loadCpuUs: 1000,
    measuredStart: { at: new Date(500).toISOString() },
  });
  assert.deepEqual(
    point.perSecond?.map((s) => [s.second, s.requests, s.latencyUs?.p50, s.latencyUs?.max]),
    [
      [0, 2, 100, 200],
      [1, 2, 3001, 4001],
    ],
  );
  assert.equal(point.measuredStart?.at, '1970-01-01T00:00:00.500Z');
});

test('a wrk point, without per-connection counts, is judged starved from the connections accepted halfway', () => {
  const histogram = createLatencyHistogram();
  histogram.recordValueWithCount(500, 100);
  const point = assemblePoint({
    base: {
      id: 'basic/wrk/c8/r0',
      server: 'basic',
      load: 'wrk',
      target: 'http://127.0.0.1:1/',
      params: {
        connections: 8,
        durationMs: 1000,
        warmupMs: 0,
        threads: 1,
        pipelining: 1,
        timeoutMs: 5000,
        idleConnections: 0,
      },
      repeat: 0,
      serverOptions: {},
      loadOptions: {},
      startedAt: new Date(0).toISOString(),
    },
    load: { requests: 100, bytes: 1000, durationMs: 1000, errors: {} as never, latency: encodeHistogram(histogram) },
    loadCpuUs: 1000,
    // One connection accepted by the halfway snapshot, one more by the end.
    server: serverDelta(snapshot(0, 0, 0, 0, 0), snapshot(10, 10, 1, 0, 2), 100, snapshot(5, 5, 0, 0, 1)),
  });
  assert.equal(point.serverStats?.acceptedFirstHalf, 1);
  assert.deepEqual(point.starvation, { starved: 7, connections: 8, seenIn: 'acceptedFirstHalf' });
});
