import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type PointResult, parseThreshold, type Threshold } from '@iobench/core';
import { makePoint } from '@iobench/core/testing';
import { measureCapacities } from './capacity-run.js';
import type { PreparedPoint } from './preflight.js';

const SLO = (() => {
  const parsed = parseThreshold('p99<20ms');
  if ('error' in parsed) throw new Error(parsed.error);
  return [parsed.threshold] as Threshold[];
})();

/** A planned search of `server` under undici at 8 connections (the plugins are never called here). */
function planned(server: string): PreparedPoint {
  return {
    id: `${server}/undici/c8/r0`,
    server,
    load: 'undici',
    params: makePoint({ params: { connections: 8, arrivals: 'poisson', seed: 1 } }).params,
    repeat: 0,
    serverOptions: {},
  } as unknown as PreparedPoint;
}

/**
 * A server that does 4,000 req/s closed and meets p99<20ms up to 1,500 req/s; the probe numbered
 * `interruptAt` is cut short by Ctrl-C, as measurePoint returns it (interrupted, partial).
 */
function server(interruptAt: number) {
  let calls = 0;
  return async (point: PreparedPoint): Promise<PointResult> => {
    const rate = point.params.rate;
    const base = { id: point.id, params: point.params };
    if (calls++ === interruptAt) return makePoint({ ...base, status: 'interrupted', partial: true });
    const p99Us = rate === undefined || rate <= 1_500 ? 1_000 : 50_000;
    return makePoint({
      ...base,
      rps: rate ?? 4_000,
      latencyUs: [
        [200, 98],
        [p99Us, 2],
      ],
    });
  };
}

describe('measureCapacities', () => {
  test('Ctrl-C mid-search: the probes so far are kept and counted, the bracket so far is the answer, the next search is not started', async () => {
    const kept: PointResult[] = [];
    // Probes: closed (4,000), 4,000 fails, 2,000 fails and is confirmed, 1,000 passes, then 1,500 is interrupted.
    const found = await measureCapacities({
      points: [planned('epoll'), planned('poll')],
      slo: SLO,
      probeDurationMs: 300,
      rounds: 3,
      measure: server(5),
      emit: async (point) => {
        kept.push(point);
      },
    });
    assert.equal(found.length, 1, 'the second search was not started');
    const [search] = found;
    assert.deepEqual(
      kept.map((p) => [p.params.rate, p.capacityProbe!.pass]),
      [
        [undefined, true],
        [4_000, false],
        [2_000, false],
        [2_000, false],
        [1_000, true],
      ],
    );
    assert.equal(search!.outcome, 'interrupted');
    assert.equal(search!.probes, kept.length, 'the interrupted probe is not counted: it is not kept');
    assert.deepEqual(search!.bracket, { highestPassRps: 1_000, lowestFailRps: 2_000 });
    assert.equal(
      search!.summary,
      'epoll/undici/c8: capacity between 1,000 and 2,000 req/s at p99<20ms, search interrupted after 5 probe(s)',
    );
  });

  test('interrupted before any rate was judged: says so', async () => {
    const [search] = await measureCapacities({
      points: [planned('epoll')],
      slo: SLO,
      probeDurationMs: 300,
      rounds: 1,
      measure: server(1),
      emit: async () => {},
    });
    assert.deepEqual(search!.bracket, {});
    assert.equal(search!.summary, 'epoll/undici/c8: search interrupted after 1 probe(s), before any rate was judged');
  });
});
