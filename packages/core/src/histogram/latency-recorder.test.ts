import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createLatencyHistogram,
  encodeHistogram,
  type Histogram,
  LatencyRecorder,
  recordedHistogram,
  summariseHistogram,
} from '@iobench/core/histogram';

/** Records `values` both ways: into a LatencyRecorder and straight into an hdr histogram. */
function recordBoth(values: number[]): { recorder: LatencyRecorder; direct: Histogram } {
  const recorder = new LatencyRecorder();
  const direct = createLatencyHistogram();
  for (const v of values) {
    recorder.recordValue(v);
    direct.recordValue(v);
  }
  return { recorder, direct };
}

function assertSame(values: number[]): void {
  const { recorder, direct } = recordBoth(values);
  const converted = recordedHistogram(recorder);
  assert.equal(encodeHistogram(recorder), encodeHistogram(direct));
  assert.equal(converted.totalCount, direct.totalCount);
  assert.equal(recorder.totalCount, direct.totalCount);
  assert.equal(converted.minNonZeroValue, direct.minNonZeroValue);
  assert.equal(converted.maxValue, direct.maxValue);
  for (const p of [0, 1, 10, 50, 90, 99, 99.9, 99.99, 100]) {
    assert.equal(converted.getValueAtPercentile(p), direct.getValueAtPercentile(p), `p${p}`);
  }
  assert.deepEqual(summariseHistogram(encodeHistogram(recorder)), summariseHistogram(encodeHistogram(direct)));
}

/** A small deterministic generator (LCG), so that a failure reproduces. */
function* pseudoRandom(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    yield x / 2 ** 32;
  }
}

test('a recorder encodes exactly as the hdr histogram does: every value below 5,000 µs', () => {
  assertSame(Array.from({ length: 5000 }, (_, i) => i));
});

test('a recorder puts each value in hdr-histogram-js bucket around every power of two up to 2^32', () => {
  // One value per histogram, so that each boundary decides min, max and the encoded length alone.
  for (let bit = 10; bit <= 32; bit++) {
    for (const delta of [-2, -1, 0, 1, 2]) {
      const v = 2 ** bit + delta;
      if (v < 2 ** 32) assertSame([v]);
    }
  }
  assertSame([2 ** 32 - 1, 3_600_000_000, 3_600_000_001]);
});

test('a recorder matches hdr on many latencies spread over every magnitude, in any order', () => {
  const random = pseudoRandom(22);
  const values = Array.from({ length: 20_000 }, () => Math.floor(2 ** (random.next().value * 32)));
  assertSame(values);
  assertSame([...values].reverse());
  // Only zeros; zeros with one value; the minimum sharing its bucket with larger values.
  assertSame([0, 0, 0]);
  assertSame([0, 7, 0]);
  assertSame([2_000_001, 2_000_500, 2_000_900, 5, 5]);
});

test('values off the fast path (fractions, 2^32 µs and above) are kept exactly too', () => {
  assertSame([1.5, 0.25, 12.75, 2 ** 32, 2 ** 33 + 5, 40, 2 ** 35]);
});

test('an empty recorder encodes as an empty histogram', () => {
  assertSame([]);
  assert.equal(new LatencyRecorder().totalCount, 0);
});
