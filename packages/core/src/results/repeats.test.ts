import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makePoint } from '../testing/results-factory.js';
import { groupRepeats, isWideSpread, spreadOf, spreadPct, WIDE_SPREAD_PCT } from './repeats.js';

test('spreadOf gives the median and min–max of repeats', () => {
  assert.deepEqual(spreadOf([3, 1, 2]), { median: 2, min: 1, max: 3, n: 3 });
  assert.deepEqual(spreadOf([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4, n: 4 }, 'even count: mean of the middle two');
  assert.deepEqual(spreadOf([7]), { median: 7, min: 7, max: 7, n: 1 });
  assert.equal(spreadOf([]), undefined);
  assert.deepEqual(spreadOf([Number.NaN, 5]), { median: 5, min: 5, max: 5, n: 1 }, 'non-numbers are left out');
});

test(`a spread wider than ${WIDE_SPREAD_PCT}% of the median is wide; one repeat never is`, () => {
  // The case: 36,000–62,000 around 52,100 is 50% of the median.
  const wide = spreadOf([52_100, 36_000, 62_000])!;
  assert.equal(Math.round(spreadPct(wide)!), 50);
  assert.equal(isWideSpread(wide), true);
  assert.equal(isWideSpread(spreadOf([1000, 1000, 1100])), false, '10% exactly is within the bound');
  assert.equal(isWideSpread(spreadOf([1000, 1000, 1101])), true);
  assert.equal(isWideSpread(spreadOf([36_000])), false);
  assert.equal(isWideSpread(undefined), false);
  assert.equal(isWideSpread(spreadOf([0, 0, 5])), true, 'around a median of 0, any difference is wide');
  assert.equal(isWideSpread(spreadOf([0, 0, 0])), false);
});

test('groupRepeats keeps the repeats of a point together, in the order the run measured them', () => {
  const points = [
    makePoint({ repeat: 0, params: { connections: 8 } }),
    makePoint({ repeat: 0, params: { connections: 64 } }),
    makePoint({ repeat: 1, params: { connections: 8 } }),
    makePoint({ repeat: 1, params: { connections: 64 } }),
  ];
  const groups = [...groupRepeats(points).values()];
  assert.deepEqual(
    groups.map((g) => g.map((p) => p.id)),
    [
      [points[0]!.id, points[2]!.id],
      [points[1]!.id, points[3]!.id],
    ],
  );
});
