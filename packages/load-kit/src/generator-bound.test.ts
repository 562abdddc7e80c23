import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeGenerator } from './generator-bound.js';

const idleLoop = { utilization: 0.2, delayP99Us: 1000, delayMaxUs: 2000 };

test('a busy event loop, a full core per thread or late timers each mean generator-bound', () => {
  const base = { loop: idleLoop, cpuUs: 200_000, durationMs: 1000, threads: 1 };
  assert.equal(judgeGenerator(base, 0.9).bound, false);
  assert.equal(judgeGenerator({ ...base, loop: { ...idleLoop, utilization: 0.97 } }, 0.9).bound, true);
  assert.equal(judgeGenerator({ ...base, cpuUs: 950_000 }, 0.9).bound, true);
  assert.equal(judgeGenerator({ ...base, loop: { ...idleLoop, delayP99Us: 80_000 } }, 0.9).bound, true);
});

test('CPU is judged per generator thread', () => {
  const verdict = judgeGenerator({ loop: idleLoop, cpuUs: 1_000_000, durationMs: 1000, threads: 2 }, 0.9);
  assert.equal(verdict.coresPerThread, 0.5);
  assert.equal(verdict.bound, false);
});
