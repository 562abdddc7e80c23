import assert from 'node:assert/strict';
import { test } from 'node:test';
import { typeFromString } from './environment.js';
import { LIST_KEYS, NUMBER_KEYS } from './keys.js';
import { DURATION_KEYS } from './schema.js';

test('list, number and duration keys are read from the schema', () => {
  assert.deepEqual(
    [...LIST_KEYS].sort(),
    [
      'bodySize',
      'connections',
      'findCapacity',
      'headers',
      'idleConnections',
      'load',
      'plugins',
      'profile',
      'rate',
      'reporter',
      'server',
      'stages',
      'threads',
      'thresholds',
      'work',
    ],
    'anchors, a list of objects, is not given comma-separated',
  );
  assert.deepEqual(
    [...NUMBER_KEYS].sort(),
    [
      'bodySize',
      'capacityRounds',
      'connections',
      'idleConnections',
      'pipelining',
      'rate',
      'repeat',
      'requests',
      'seed',
      'threads',
    ],
    'durations also take strings (500ms), so they are left for their schema to parse',
  );
  assert.deepEqual([...DURATION_KEYS].sort(), ['duration', 'probeDuration', 'timeout', 'warmup']);
});

test('strings from the environment and flags are typed by those kinds', () => {
  assert.deepEqual(typeFromString('connections', '8, 16'), [8, 16]);
  assert.deepEqual(typeFromString('work', 'none,cpu:100'), ['none', 'cpu:100']);
  assert.equal(typeFromString('repeat', '3'), 3);
  assert.equal(typeFromString('duration', '500'), '500');
  assert.equal(typeFromString('netns', 'true'), 'true');
});
