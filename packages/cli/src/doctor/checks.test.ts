import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFdLimit, checkSomaxconn } from './checks.js';

const plan = { maxConnections: 10_000, source: '.iobenchrc' };

test('ulimit -n is judged against the largest planned connection count, with the fix', () => {
  const low = checkFdLimit(plan, 1024);
  assert.equal(low.status, 'warn');
  assert.match(low.detail, /1024; 10000 connections \(\.iobenchrc\) need 10064 open files per process/);
  assert.match(low.fix!, /ulimit -n 10064\b/, 'the ulimit advised is the number needed');
  assert.equal(checkFdLimit(plan, 65536).status, 'ok');
});

test('somaxconn below the planned connections warns with the sysctl to run', () => {
  const low = checkSomaxconn({ maxConnections: 1024, source: 'a typical sweep' }, 128);
  assert.equal(low.status, 'warn');
  assert.match(low.fix!, /sysctl -w net\.core\.somaxconn=4096/);
  assert.equal(checkSomaxconn({ maxConnections: 64, source: 'x' }, 128).status, 'ok');
});
