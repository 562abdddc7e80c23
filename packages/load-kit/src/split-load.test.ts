import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitLoad } from './split-load.js';

const base = {
  origin: 'http://127.0.0.1:1',
  method: 'GET',
  path: '/',
  headers: [],
  connections: 7,
  pipelining: 1,
  durationMs: 1000,
  timeoutMs: 1000,
};

test('connections, requests and rate add up to the totals', () => {
  const specs = splitLoad({ ...base, requests: 1001, rate: 700 }, 3);
  assert.deepEqual(
    specs.map((s) => s.connections),
    [3, 2, 2],
  );
  assert.equal(
    specs.reduce((n, s) => n + s.requests!, 0),
    1001,
  );
  assert.equal(Math.round(specs.reduce((n, s) => n + s.rate!, 0)), 700);
});

test('never more threads than connections', () => {
  const specs = splitLoad({ ...base, connections: 2 }, 4);
  assert.equal(specs.length, 2);
  assert.deepEqual(
    specs.map((s) => s.connections),
    [1, 1],
  );
});
