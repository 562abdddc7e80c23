import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PointMergeSummary } from '@iobench/core';
import { MIN_OVERLAP_PCT, overlapPct, overlapProblem } from './merge-overlap.js';

const at = (s: number) => ({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString() });
const phase = (file: string, startS: number, durationMs = 10_000) => ({ file, start: at(startS), durationMs });

test('overlapPct: the share of the longest phase every run measured together', () => {
  assert.equal(overlapPct([phase('a', 0), phase('b', 0)]), 100);
  assert.equal(overlapPct([phase('a', 0), phase('b', 4)]), 60);
  assert.equal(
    overlapPct([phase('a', 0), phase('b', 4), phase('c', 6)]),
    40,
    'all three together only from 6 s to 10 s',
  );
  assert.equal(overlapPct([phase('a', 0), phase('b', 30)]), 0, 'one after the other');
  assert.equal(overlapPct([phase('a', 0), { file: 'b', durationMs: 10_000 }]), undefined, 'a start not recorded');
});

test(`a merge of separate runs together for less than ${MIN_OVERLAP_PCT}% is a problem; shards never are`, () => {
  const summary = (overlap: number | undefined, shard?: number): PointMergeSummary => ({
    parts: ['a.json', 'b.json'].map((file, i) => ({
      file,
      hostname: file,
      connections: 8,
      requests: 100,
      rps: 100,
      measuredStart: at(i * 5),
      ...(shard !== undefined ? { shard: i } : {}),
    })),
    ...(overlap !== undefined ? { overlapPct: overlap } : {}),
  });
  const p = { id: 'target/native/c8/r0' };
  assert.equal(overlapProblem(p, summary(60)), undefined);
  assert.match(overlapProblem(p, summary(40))!, /overlap for only 40% of the longest .*at least 50% expected/);
  assert.match(overlapProblem(p, summary(0))!, /do not overlap \(a\.json from 2026-01-01T00:00:00\.000Z, b\.json from/);
  assert.match(overlapProblem(p, summary(undefined))!, /cannot tell whether the runs measured at the same time/);
  assert.equal(
    overlapProblem(p, summary(0, 0)),
    undefined,
    'shards start together by construction: their skew is reported',
  );
});
