import assert from 'node:assert/strict';
import { test } from 'node:test';
import { md1MeanLatencyUs, md1MeanWaitUs, saturationRate } from './queueing-theory.js';

test('M/D/1: half the M/M/1 wait; a loop of 500 µs per request saturates at 2,000 req/s', () => {
  assert.equal(saturationRate(500), 2000);
  // At ρ = 0.8 and s = 500 µs: 0.8·500 / (2·0.2) = 1000 µs (M/M/1 would wait 2000 µs).
  assert.ok(Math.abs(md1MeanWaitUs(0.8, 500) - 1000) < 1e-9);
  assert.equal(md1MeanWaitUs(0, 500), 0);
  assert.throws(() => md1MeanWaitUs(1, 500), /utilisation must be in \[0, 1\)/);
  // Measured 600 µs at 200 req/s of 500 µs (ρ 0.1: 27.8 µs waiting): 572.2 µs unloaded, plus 1000 µs
  // at 1,600 req/s (ρ 0.8).
  const unloaded = { ratePerS: 200, serviceUs: 500, meanUs: 600 };
  assert.ok(Math.abs(md1MeanLatencyUs({ ratePerS: 1600, serviceUs: 500 }, unloaded) - 1572.2) < 0.1);
});
