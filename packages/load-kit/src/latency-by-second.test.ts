import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogramCount, summariseHistogram } from '@iobench/core/histogram';
import { LatencyBySecond } from './latency-by-second.js';

test("the phase's histogram is exactly the sum of its seconds, and a second with no response is empty", () => {
  const bySecond = new LatencyBySecond();
  bySecond.record(0, 100);
  bySecond.record(0, 200);
  bySecond.record(2, 5000);
  const { latency, latencyPerSecond } = bySecond.encode();
  assert.equal(histogramCount(latency), 3);
  assert.equal(summariseHistogram(latency).max, 5003);
  assert.deepEqual(latencyPerSecond.map(histogramCount), [2, 0, 1]);
});
