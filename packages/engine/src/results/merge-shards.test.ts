import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  emptyErrors,
  type PointResult,
  RESULTS_SCHEMA_VERSION,
  type ResultsFile,
  ResultsMismatchError,
  type ShardTotals,
  summarisePerConnection,
} from '@iobench/core';
import { createLatencyHistogram, encodeHistogram, histogramCount, summariseHistogram } from '@iobench/core/histogram';
import { shardValues } from '../shard/shard.js';
import { type MergeInput, mergeResults } from './merge.js';

const TOTALS: ShardTotals = { connections: [8, 64], idleConnections: [0] };
const INTENDED = '2026-01-01T00:00:10.000Z';

/** Shard `index` of 3 of `--target ... --connections 8,64`, each point `requests` requests, started `offsetMs` late. */
function shardFile(index: number, requests: number, offsetMs: number, count = 3): MergeInput {
  const own = shardValues(TOTALS, { index, count });
  const point = (connections: number): PointResult => {
    const h = createLatencyHistogram();
    h.recordValueWithCount(200 + index * 100, requests);
    return {
      id: `target/native/c${connections}/r0`,
      server: 'target',
      load: 'native',
      target: 'http://127.0.0.1:8080/',
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
      requests,
      bytes: requests * 10,
      durationMs: 1000,
      rps: requests,
      errors: emptyErrors(),
      latencyUs: summariseHistogram(encodeHistogram(h)),
      perConnection: summarisePerConnection(Array.from({ length: connections }, () => 1)),
      loadStats: { cpuUs: 10, cpuUsPerRequest: 0, generatorBound: false },
      measuredStart: {
        at: new Date(Date.parse(INTENDED) + offsetMs).toISOString(),
        intendedAt: INTENDED,
        offsetMs,
      },
      startedAt: '2026-01-01T00:00:08.000Z',
    };
  };
  const results: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    // Shards on one host may start in the same millisecond: their index tells them apart.
    createdAt: '2026-01-01T00:00:00.000Z',
    status: 'complete',
    env: { hostname: 'same-host', cpuCount: 2 } as ResultsFile['env'],
    plan: {
      servers: [],
      target: 'http://127.0.0.1:8080/',
      loads: ['native'],
      connections: own.connections,
      durationMs: 1000,
      warmupMs: 0,
      repeat: 1,
      threads: [1],
      pipelining: 1,
      timeoutMs: 5000,
      idleConnections: own.idleConnections,
      sweep: [{ key: 'connections', values: own.connections }],
      serverOptions: {},
      loadOptions: {},
      pointCount: 2,
    },
    shard: { index, count, totals: TOTALS },
    points: own.connections.map(point),
  };
  return { file: `shard-${index}.json`, results };
}

describe('merging the shards of one run', () => {
  test('gives the whole plan: ids, connections and sweep of the totals, requests and histograms summed exactly', () => {
    const merged = mergeResults([shardFile(2, 300, 4.5), shardFile(0, 100, 1.25), shardFile(1, 200, -0.5)]);
    assert.deepEqual(merged.plan.connections, [8, 64]);
    assert.deepEqual(merged.plan.sweep, [{ key: 'connections', values: [8, 64] }]);
    assert.deepEqual(
      merged.points.map((p) => [p.id, p.params.connections, p.requests, histogramCount(p.latencyUs.hdr)]),
      [
        ['target/native/c8/r0', 8, 600, 600],
        ['target/native/c64/r0', 64, 600, 600],
      ],
    );
    assert.equal(merged.points[1]!.perConnection?.connections, 64, 'the shards’ connections add up to the total');
    assert.equal(merged.shard, undefined, 'the merged file is the whole run, not a shard');
    assert.deepEqual(
      merged.env.hosts.map((h) => [h.shard, h.file]),
      [
        [0, 'shard-0.json'],
        [1, 'shard-1.json'],
        [2, 'shard-2.json'],
      ],
    );
  });

  test('records each shard’s share and the skew of their measured starts', () => {
    const merged = mergeResults([shardFile(0, 100, 1.25), shardFile(1, 200, -0.5), shardFile(2, 300, 4.5)]);
    const summary = merged.points[1]!.merge!;
    assert.deepEqual(
      summary.parts.map((p) => [p.shard, p.connections, p.requests, p.rps, p.measuredStart?.offsetMs]),
      [
        [0, 22, 100, 100, 1.25],
        [1, 21, 200, 200, -0.5],
        [2, 21, 300, 300, 4.5],
      ],
    );
    assert.equal(summary.startSkewMs, 5);
  });

  test('a missing shard, a shard given twice, another split and a file that is no shard are errors naming the files', () => {
    const refused = (inputs: MergeInput[], message: RegExp) =>
      assert.throws(
        () => mergeResults(inputs),
        (e: unknown) => e instanceof ResultsMismatchError && e.exitCode === 2 && message.test(e.message),
      );
    refused(
      [shardFile(0, 1, 0), shardFile(2, 1, 0)],
      /shard\(s\) 1\/3 missing: a run split into 3 shards merges from all 3 \(given 0: shard-0\.json, 2: shard-2\.json\)/,
    );
    refused(
      [shardFile(0, 1, 0), shardFile(1, 1, 0), { ...shardFile(1, 5, 0), file: 'again.json' }],
      /shard-1\.json and again\.json are both shard 1\/3; merging a shard twice would double its counts/,
    );
    refused([shardFile(0, 1, 0), shardFile(1, 1, 0, 2)], /shard-1\.json is shard 1\/2 but shard-0\.json is shard 0\/3/);
    const plain = shardFile(1, 1, 0);
    plain.results.shard = undefined;
    refused(
      [shardFile(0, 1, 0), { ...plain, file: 'plain.json' }],
      /plain\.json is not a shard, but shard-0\.json is shard 0\/3/,
    );
  });

  test('a shard whose plan is not its share of the recorded totals is refused as edited', () => {
    const edited = shardFile(1, 1, 0);
    edited.results.plan.connections = [3, 22];
    assert.throws(
      () => mergeResults([shardFile(0, 1, 0), edited, shardFile(2, 1, 0)]),
      /shard-1\.json: its plan's connections \(\[3,22\]\) is not shard 1\/3's share of the recorded totals \(\[3,21\]\)/,
    );
  });
});
