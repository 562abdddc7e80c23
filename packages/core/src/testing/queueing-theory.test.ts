import assert from 'node:assert/strict';
import { test } from 'node:test';
import { md1MeanLatencyUs, md1MeanWaitUs, saturationRate } from './queueing-theory.js';

test('M/D/1: half the M/M/1 wait; a loop of 500 µs per request saturates at 2,000 req/s', () => {
  assert.equal(saturationRate(500), 2000);
  // At ρ = 0.8 and s = 500 µs: 0.8·500 / (2·0.2) = 1000 µs (M/M/1 would wait 2000 µs).
  assert.ok(Math.abs(md1MeanWaitUs(0.8, 500) - 1000) < 1e-9);
  assert.equal(md1MeanWaitUs(0, 500), 0);
  assert.throws(() => md1MeanWaitUs(1, 500), /utilisation must be in \[0, 1\)/);
  // Measured 600 µs at ρ = 0.1 (of which 27.8 µs waiting): 572.2 µs unloaded, plus 1000 µs at ρ = 0.8.
  assert.ok(Math.abs(md1MeanLatencyUs(0.8, 500, { rho: 0.1, meanUs: 600 }) - 1572.2) < 0.1);
});
