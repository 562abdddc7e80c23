import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeHistogram } from '@iobench/core/histogram';
import { LATE_US, SendSchedule } from './send-schedule.js';

const uniform = (rate: number) => ({ rate, arrivals: 'uniform' as const, seed: 0 });

describe('SendSchedule', () => {
  it('records each send’s lag behind its intended time and counts the late ones', () => {
    const schedule = new SendSchedule(uniform(1000), undefined);
    schedule.start(0, 1000);
    schedule.enqueueDue(3000); // due at 0, 1000, 2000, 3000 µs
    assert.equal(schedule.backlog.length, 4);
    assert.equal(schedule.take(3000), 0); // 3 ms late
    assert.equal(schedule.take(3000), 1000); // 2 ms late
    assert.equal(schedule.take(3000), 2000); // 1 ms: on the line, not late
    assert.equal(schedule.take(3000), 3000); // on time
    assert.equal(schedule.lateSends, 2);
    assert.deepEqual(schedule.report().latePerSecond, [2], 'counted by the second they were intended in');
    const lag = decodeHistogram(schedule.report().sendLag);
    assert.equal(lag.totalCount, 4);
    assert.ok(Math.abs(lag.maxValue - 3000) < 10);
  });

  it('drops sends overdue at the end, but not those the end cut short within a millisecond', () => {
    const schedule = new SendSchedule(uniform(10_000), undefined); // one every 100 µs
    schedule.start(0, 1000);
    schedule.stop(1000); // due 0..900 µs, none sent
    // Due before 1000 - LATE_US = 0 µs: none; the whole backlog was within the last millisecond.
    assert.equal(schedule.droppedSends, 0);
    const late = new SendSchedule(uniform(1000), undefined);
    late.start(0, 10); // 10 ms
    late.stop(10_000); // due 0, 1000, ..., 9000 µs, none sent
    assert.equal(late.droppedSends, 10 - Math.ceil(LATE_US / 1000));
    assert.equal(late.report().offered, 10);
  });

  it('judges late and dropped against the precision a generator declares (undici: 2 ms)', () => {
    const schedule = new SendSchedule(uniform(1000), undefined, 2000);
    schedule.start(0, 10); // 10 ms
    schedule.enqueueDue(3000); // due at 0, 1000, 2000, 3000 µs
    schedule.take(3000); // 3 ms late: late
    schedule.take(3000); // 2 ms: on the line, on time for this generator
    schedule.take(3000);
    schedule.take(3000);
    assert.equal(schedule.lateSends, 1);
    schedule.stop(10_000); // due 4000..9000 µs, none sent; those due within the last 2 ms were cut short
    assert.equal(schedule.droppedSends, 4);
    assert.equal(schedule.report().lateAfterUs, 2000);
  });

  it('counts the offered load second by second', () => {
    const schedule = new SendSchedule(
      { rate: 20, stages: [{ durationMs: 2000, rate: 20 }], arrivals: 'uniform', seed: 0 },
      undefined,
    );
    schedule.start(0, 2000);
    schedule.enqueueDue(2_000_000);
    // A ramp from 0 to 20 req/s over 2 s: 5 in the first second, 15 in the second (the area under the line).
    assert.deepEqual(schedule.report().offeredPerSecond, [5, 15]);
  });

  it('a request limit stops the schedule', () => {
    const schedule = new SendSchedule(uniform(1000), 3);
    schedule.start(0, 1000);
    schedule.enqueueDue(1_000_000);
    assert.equal(schedule.backlog.length, 3);
    assert.equal(schedule.nextDueUs(), Infinity);
  });
});
