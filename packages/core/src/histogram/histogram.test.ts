import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createLatencyHistogram,
  encodeHistogram,
  histogramCount,
  mergeHistograms,
  summariseHistogram,
} from '@iobench/core';

test('merging encoded histograms adds counts exactly and keeps percentiles', () => {
  const a = createLatencyHistogram();
  const b = createLatencyHistogram();
  for (let i = 1; i <= 1000; i++) a.recordValue(i);
  for (let i = 1001; i <= 2000; i++) b.recordValue(i);
  const merged = mergeHistograms([encodeHistogram(a), encodeHistogram(b)]);
  assert.equal(histogramCount(merged), 2000);
  const s = summariseHistogram(merged);
  assert.ok(Math.abs(s.p50 - 1000) <= 1, `p50 ${s.p50}`);
  assert.ok(Math.abs(s.max - 2000) <= 2, `max ${s.max}`);
  assert.equal(s.min, 1);
});

test('an empty histogram summarises to zeros', () => {
  const s = summariseHistogram(encodeHistogram(createLatencyHistogram()));
  assert.equal(s.p99, 0);
  assert.equal(s.max, 0);
});
