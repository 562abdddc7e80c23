import assert from 'node:assert/strict';
import { test } from 'node:test';
import { undiciOptionsSchema } from './index.js';

test('defaults live in the schema', () => {
  assert.deepEqual(undiciOptionsSchema.parse({}), { saturationThreshold: 0.9 });
});

test('rejects bad values and unknown keys, naming the option', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ localAddress: 'not-an-ip' }, 'localAddress'],
    [{ saturationThreshold: 2 }, 'saturationThreshold'],
    [{ unknown: 1 }, ''],
  ];
  for (const [input, key] of cases) {
    const result = undiciOptionsSchema.safeParse(input);
    assert.equal(result.success, false, JSON.stringify(input));
    assert.equal(String(result.error!.issues[0]!.path[0] ?? ''), key, JSON.stringify(input));
  }
});
