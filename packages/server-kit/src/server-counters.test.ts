import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServerCounters, Slot } from './server-counters.js';

test('counters written through one view are read through another on the same buffer', () => {
  const loopSide = new ServerCounters();
  const hostSide = new ServerCounters(loopSide.buffer);
  loopSide.values[Slot.accepted] += 2;
  loopSide.values[Slot.requests] += 5;
  loopSide.values[Slot.reset]++;
  loopSide.values[Slot.fdSetSize]++;
  loopSide.values[Slot.refused]++;
  assert.deepEqual(hostSide.snapshot(), {
    accepted: 2,
    refused: 1,
    requests: 5,
    errors: { reset: 1, fdSetSize: 1 },
  });
});
