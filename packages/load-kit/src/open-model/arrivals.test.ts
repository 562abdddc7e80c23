import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArrivalClock, type ArrivalSpec, mulberry32 } from './arrivals.js';

/** Every due time, in seconds, before `untilS`. */
function dueTimes(spec: ArrivalSpec, untilS: number): number[] {
  const clock = new ArrivalClock(spec);
  const times: number[] = [];
  while (clock.peekSeconds() < untilS) {
    times.push(clock.peekSeconds());
    clock.advance();
  }
  return times;
}

describe('ArrivalClock', () => {
  it('uniform arrivals are exactly 1/rate apart, the first at the start', () => {
    const times = dueTimes({ rate: 1000, arrivals: 'uniform', seed: 1 }, 0.01);
    assert.deepEqual(
      times.map((t) => Math.round(t * 1e6)),
      [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000],
    );
  });

  it('poisson arrivals average the rate with exponential gaps (mean = stddev = 1/rate)', () => {
    const times = dueTimes({ rate: 5000, arrivals: 'poisson', seed: 42 }, 20);
    const n = times.length;
    // 100,000 expected; a Poisson count's sd is sqrt(100,000) ≈ 316.
    assert.ok(Math.abs(n - 100_000) < 1500, `got ${n} arrivals in 20 s at 5000/s`);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    assert.ok(Math.abs(mean * 5000 - 1) < 0.02, `mean gap ${mean}`);
    assert.ok(Math.abs(sd / mean - 1) < 0.03, `coefficient of variation ${sd / mean} (exponential: 1)`);
  });

  it('the same seed gives the same schedule, another seed another one', () => {
    const a = dueTimes({ rate: 100, arrivals: 'poisson', seed: 7 }, 1);
    const b = dueTimes({ rate: 100, arrivals: 'poisson', seed: 7 }, 1);
    const c = dueTimes({ rate: 100, arrivals: 'poisson', seed: 8 }, 1);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('stages ramp linearly from the previous rate (0 first), then hold', () => {
    // 0→1000 req/s over 2 s offers 1000 requests; holding 1000 for 1 s another 1000.
    const stages = [
      { durationMs: 2000, rate: 1000 },
      { durationMs: 1000, rate: 1000 },
    ];
    const times = dueTimes({ rate: 1000, stages, arrivals: 'uniform', seed: 1 }, 10);
    assert.equal(times.length, 2000);
    const inSecond = (s: number) => times.filter((t) => t >= s && t < s + 1).length;
    // The ramp offers 250 in its first second and 750 in its second (the area under the line).
    assert.deepEqual([inSecond(0), inSecond(1), inSecond(2)], [250, 750, 1000]);
    assert.equal(times.at(-1)! < 3, true);
  });

  it('a stage down ramps the rate down', () => {
    const stages = [
      { durationMs: 1000, rate: 2000 },
      { durationMs: 1000, rate: 0 },
    ];
    const times = dueTimes({ rate: 2000, stages, arrivals: 'uniform', seed: 1 }, 10);
    const inSecond = (s: number) => times.filter((t) => t >= s && t < s + 1).length;
    assert.deepEqual([inSecond(0), inSecond(1)], [1000, 1000]);
    // Falling: the gaps widen toward the end.
    const last = times.slice(-3);
    assert.ok(last[2]! - last[1]! > last[1]! - last[0]!);
  });

  it('mulberry32 is uniform on [0, 1)', () => {
    const random = mulberry32(123);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(random() * 10)]++;
    for (const b of buckets) assert.ok(Math.abs(b - 10_000) < 500, `bucket ${b}`);
  });
});
