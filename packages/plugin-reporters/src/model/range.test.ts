import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rangeOf } from './range.js';

test('rangeOf gives the median and min–max of repeats', () => {
  assert.deepEqual(rangeOf([3, 1, 2]), { median: 2, min: 1, max: 3, count: 3 });
  assert.deepEqual(
    rangeOf([4, 1, 3, 2]),
    { median: 2.5, min: 1, max: 4, count: 4 },
    'even count: mean of the middle two',
  );
  assert.deepEqual(rangeOf([7]), { median: 7, min: 7, max: 7, count: 1 });
  assert.equal(rangeOf([]), undefined);
  assert.deepEqual(rangeOf([Number.NaN, 5]), { median: 5, min: 5, max: 5, count: 1 }, 'non-numbers are left out');
});
