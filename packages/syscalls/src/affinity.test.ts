import assert from 'node:assert/strict';
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
