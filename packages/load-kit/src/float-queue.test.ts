import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FloatQueue } from './float-queue.js';

test('keeps FIFO order across wrap-around and growth', () => {
  const q = new FloatQueue(4);
  const out: number[] = [];
  for (let i = 0; i < 3; i++) q.push(i);
  out.push(q.shift(), q.shift());
  for (let i = 3; i < 12; i++) q.push(i);
  while (q.length > 0) out.push(q.shift());
  assert.deepEqual(out, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});
