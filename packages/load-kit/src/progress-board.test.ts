import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketMiddleUs, latencyBucket, ProgressBoard, recordLatency } from './progress-board.js';

test('a latency bucket keeps a value to within 1/16 of its middle, from 1 µs to minutes', () => {
  for (let us = 1; us < 3e9; us = Math.ceil(us * 1.07)) {
    const middle = bucketMiddleUs(latencyBucket(us));
    const within = us < 8 ? 0 : Math.min(us, 0x7fffffff) / 16;
    assert.ok(Math.abs(middle - Math.min(us, 0x7fffffff)) <= within + 0.5, `${us} µs -> ${middle}`);
  }
});

test('a read sums the threads and gives the percentiles of what completed since the previous read', () => {
  const board = new ProgressBoard(2);
  const [a, b] = [board.slot(0), board.slot(1)];
  for (let i = 0; i < 98; i++) recordLatency(i % 2 ? a : b, 100);
  recordLatency(a, 5000);
  recordLatency(b, 5000);
  a.array[a.offset] = 50;
  b.array[b.offset] = 50;
  b.array[b.offset + 1] = 3;
  const first = board.read(1000);
  assert.equal(first.requests, 100);
  assert.equal(first.errors, 3);
  assert.equal(first.recent?.requests, 100);
  assert.ok(Math.abs((first.recent?.p50Us ?? 0) - 100) <= 100 / 16, JSON.stringify(first.recent));
  assert.ok(Math.abs((first.recent?.p99Us ?? 0) - 5000) <= 5000 / 16, JSON.stringify(first.recent));

  for (let i = 0; i < 10; i++) recordLatency(a, 2000);
  const second = board.read(2000);
  assert.deepEqual(second.recent?.requests, 10, 'only what completed since');
  assert.ok(Math.abs((second.recent?.p50Us ?? 0) - 2000) <= 2000 / 16);
  assert.equal(board.read(3000).recent, undefined, 'nothing completed: no summary');
});
