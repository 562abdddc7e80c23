import assert from 'node:assert/strict';
import { test } from 'node:test';
import { undiciOptionsSchema } from './index.js';

test('defaults live in the schema', () => {
  assert.deepEqual(undiciOptionsSchema.parse({}), {
    method: 'GET',
    headers: {},
    saturationThreshold: 0.9,
    insecure: false,
  });
});

test('rejects what would make a malformed request, naming the option', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ method: 'GET /' }, 'method'],
    [{ path: 'relative' }, 'path'],
    [{ path: '/a b' }, 'path'],
    [{ headers: { 'bad name': 'x' } }, 'headers'],
    [{ headers: { 'x-ok': 'a\r\nInjected: 1' } }, 'headers'],
    [{ unknown: 1 }, ''],
  ];
  for (const [input, key] of cases) {
    const result = undiciOptionsSchema.safeParse(input);
    assert.equal(result.success, false, JSON.stringify(input));
    assert.equal(String(result.error!.issues[0]!.path[0] ?? ''), key, JSON.stringify(input));
  }
});
