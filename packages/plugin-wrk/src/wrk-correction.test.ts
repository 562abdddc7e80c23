import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  applyWrkCorrection,
  type LatencyBucket,
  undoWrkCorrection,
  wrkCorrectionIntervalUs,
  wrkPercentile,
} from './wrk-correction.js';

/** Distinct-valued, sorted buckets with positive counts. */
const distributions = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 50 })), {
    selector: ([v]) => v,
    maxLength: 200,
  })
  .map((pairs) => [...pairs].sort((a, b) => a[0] - b[0]) as LatencyBucket[]);

test('undoing wrk correction restores the measured distribution exactly', () => {
  fc.assert(
    fc.property(distributions, fc.integer({ min: 1, max: 800 }), (measured, intervalUs) => {
      const corrected = applyWrkCorrection(measured, intervalUs);
      assert.deepEqual(undoWrkCorrection(corrected, intervalUs), measured);
    }),
  );
});

test('the correction adds synthetic samples below slow responses, as wrk does', () => {
  // e = 100: a sample at 450 adds one at 350, 250, 150 (stops at values <= e).
  assert.deepEqual(
    applyWrkCorrection(
      [
        [50, 3],
        [450, 2],
      ],
      100,
    ),
    [
      [50, 3],
      [150, 2],
      [250, 2],
      [350, 2],
      [450, 2],
    ],
  );
  assert.equal(
    undoWrkCorrection(
      [
        [150, 1],
        [250, 2],
      ],
      100,
    ),
    undefined,
    'not a corrected distribution',
  );
});

test('wrk applies no correction when there are fewer requests than connections', () => {
  assert.equal(wrkCorrectionIntervalUs(1_000_000, 7, 8), 0);
  assert.equal(wrkCorrectionIntervalUs(1_000_000, 16_000, 8), 500);
});

test('wrkPercentile follows stats_percentile rank rounding', () => {
  const buckets: LatencyBucket[] = [
    [10, 1],
    [20, 1],
    [30, 1],
    [40, 1],
  ];
  assert.equal(wrkPercentile(buckets, 50), 30, 'rank round(2 + 0.5) = 3');
  assert.equal(wrkPercentile(buckets, 0), 10);
  assert.equal(wrkPercentile(buckets, 100), 0, 'rank 5 is past the end: wrk returns 0');
});
