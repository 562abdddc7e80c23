import {
  createLatencyHistogram,
  encodeHistogram,
  type PointResult,
  RESULTS_SCHEMA_VERSION,
  type ResultsFile,
  summariseHistogram,
} from '@iobench/core';
import { emptyErrors } from '@iobench/core/results';

/** A small valid results file: epoll under undici at 8 and 64 connections, 100 requests each. */
export function sampleResults(): ResultsFile {
  const point = (connections: number): PointResult => {
    const h = createLatencyHistogram();
    h.recordValueWithCount(250, 100);
    return {
      id: `epoll/undici/c${connections}/r0`,
      server: 'epoll',
      load: 'undici',
      target: 'http://127.0.0.1:1/',
      params: {
        connections,
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
      status: 'ok',
      requests: 100,
      bytes: 1000,
      durationMs: 1000,
      rps: 100,
      errors: emptyErrors(),
      latencyUs: summariseHistogram(encodeHistogram(h)),
      loadStats: { cpuUs: 0, cpuUsPerRequest: 0, generatorBound: false },
      startedAt: '2026-01-01T00:00:00.000Z',
    };
  };
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    createdAt: '2026-01-01T00:00:00.000Z',
    status: 'complete',
    env: {
      hostname: 'ci',
      platform: 'linux',
      arch: 'x64',
      kernel: '6',
      cpuModel: 'cpu',
      cpuCount: 2,
      memoryBytes: 1,
      node: 'v20',
      iobench: '0.1.0',
      tools: {},
      pinning: {},
    },
    plan: {
      servers: ['epoll'],
      load: 'undici',
      connections: [8, 64],
      durationMs: 1000,
      warmupMs: 0,
      repeat: 1,
      threads: [1],
      pipelining: 1,
      timeoutMs: 5000,
      idleConnections: [0],
      sweep: [{ key: 'connections', values: [8, 64] }],
      serverOptions: {},
      loadOptions: {},
      pointCount: 2,
    },
    points: [point(8), point(64)],
  };
}
