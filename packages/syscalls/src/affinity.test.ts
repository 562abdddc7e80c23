import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as sys from './index.js';

test('sched_setaffinity narrows the calling thread to the CPUs given, sched_getaffinity reads them back', () => {
  const allowed = sys.schedGetaffinity();
  assert.ok(allowed.length >= 1 && allowed.every((cpu, i) => i === 0 || cpu > allowed[i - 1]!));
  try {
    sys.schedSetaffinity([allowed.at(-1)!]);
    assert.deepEqual(sys.schedGetaffinity(), [allowed.at(-1)]);
  } finally {
    sys.schedSetaffinity(allowed);
  }
  assert.deepEqual(sys.schedGetaffinity(), allowed);
  assert.throws(() => sys.schedSetaffinity([-1]), RangeError);
  assert.throws(() => sys.schedSetaffinity([]), { code: 'EINVAL', syscall: 'sched_setaffinity' });
});

test('setTimerSlack sets how late the calling thread’s timed waits may end (read back from /proc; the test runs on the main thread, whose slack /proc/self shows)', () => {
  const before = readFileSync('/proc/self/timerslack_ns', 'utf8').trim();
  try {
    sys.setTimerSlack(1);
    assert.equal(readFileSync('/proc/self/timerslack_ns', 'utf8').trim(), '1');
  } finally {
    sys.setTimerSlack(Number(before));
  }
  assert.throws(() => sys.setTimerSlack(0), RangeError);
});
