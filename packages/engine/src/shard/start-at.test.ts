import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '@iobench/core';
import { intendedStart, parseStartAt, START_SLACK_MS } from './start-at.js';

const NOW = Date.parse('2026-05-01T12:00:00Z');

test('--start-at takes an ISO 8601 time with a zone, in the future', () => {
  assert.equal(parseStartAt('2026-05-01T12:00:05Z', NOW).toISOString(), '2026-05-01T12:00:05.000Z');
  assert.equal(parseStartAt('2026-05-01T14:00:05.250+02:00', NOW).toISOString(), '2026-05-01T12:00:05.250Z');
});

test('a time in the past, and a time that is not ISO 8601 with a zone, are config errors saying so', () => {
  assert.throws(
    () => parseStartAt('2026-05-01T11:59:59Z', NOW),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.exitCode === 2 &&
      /--start-at 2026-05-01T11:59:59Z is in the past \(now 2026-05-01T12:00:00\.000Z\)/.test(e.message),
  );
  for (const bad of ['tomorrow', '2026-05-01 12:00:05', '2026-05-01T12:00:05', '2026-13-01T12:00:05Z']) {
    assert.throws(
      () => parseStartAt(bad, NOW),
      new RegExp(`--start-at expects an ISO 8601 time with a time zone, such as .*; received "${bad}"`),
    );
  }
});

test('point k starts k warm-ups, measured phases and slacks after the first', () => {
  const at = new Date('2026-05-01T12:00:05Z');
  const plan = { warmupMs: 1000, durationMs: 5000 };
  assert.equal(intendedStart(at, 0, plan).toISOString(), at.toISOString());
  assert.equal(intendedStart(at, 2, plan).getTime() - at.getTime(), 2 * (6000 + START_SLACK_MS));
});
