import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loopCpus } from './loop-cpus.js';

test('loops of a pinned process take its CPUs round robin; an unpinned or single loop is left alone', () => {
  assert.deepEqual(loopCpus(2, [2, 5], 8), [2, 5]);
  assert.deepEqual(loopCpus(3, [2, 5], 8), [2, 5, 2]);
  assert.deepEqual(loopCpus(2, [3], 8), [3, 3]);
  assert.deepEqual(loopCpus(4, [0, 1, 2, 3, 4, 5, 6, 7], 8), [], 'affinity = every CPU: not pinned');
  assert.deepEqual(loopCpus(1, [2, 5], 8), [], 'one loop keeps the process list');
});
