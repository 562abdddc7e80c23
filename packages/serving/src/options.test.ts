import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commonServerOptionsSchema, serverUrl, timeoutCheckIntervalMs } from './options.js';

test('common options have their defaults', () => {
  assert.deepEqual(commonServerOptionsSchema.parse({}), {
    host: '127.0.0.1',
    port: 0,
    backlog: 511,
    bodySize: 13,
    work: { kind: 'none' },
    keepAlive: true,
    headerTimeoutMs: 60_000,
    idleTimeoutMs: 75_000,
  });
});

test('timeouts are checked at a quarter of the shorter one, between 10 ms and 1 s, never when both are off', () => {
  assert.equal(timeoutCheckIntervalMs({ headerTimeoutMs: 60_000, idleTimeoutMs: 75_000 }), 1000);
  assert.equal(timeoutCheckIntervalMs({ headerTimeoutMs: 200, idleTimeoutMs: 60_000 }), 50);
  assert.equal(timeoutCheckIntervalMs({ headerTimeoutMs: 0, idleTimeoutMs: 2000 }), 500);
  assert.equal(timeoutCheckIntervalMs({ headerTimeoutMs: 1, idleTimeoutMs: 0 }), 10);
  assert.equal(timeoutCheckIntervalMs({ headerTimeoutMs: 0, idleTimeoutMs: 0 }), -1);
  assert.equal(commonServerOptionsSchema.safeParse({ idleTimeoutMs: -1 }).success, false);
});

test('host accepts IPv4, IPv6 and scoped link-local IPv6, and names what it expected otherwise', () => {
  for (const host of ['0.0.0.0', '::1', '::', 'fe80::1%iob0']) {
    assert.equal(commonServerOptionsSchema.parse({ host }).host, host);
  }
  for (const host of ['localhost', '1.2.3', 'fe80::1%', '127.0.0.1%eth0', '']) {
    const result = commonServerOptionsSchema.safeParse({ host });
    assert.equal(result.success, false, host);
    assert.match(result.error!.issues[0]!.message, /host must be an IPv4 or IPv6 address/);
    assert.ok(result.error!.issues[0]!.message.includes(JSON.stringify(host)));
  }
});

test('numeric options are range-checked and unknown keys are rejected', () => {
  assert.equal(commonServerOptionsSchema.safeParse({ port: 70000 }).success, false);
  assert.equal(commonServerOptionsSchema.safeParse({ bodySize: -1 }).success, false);
  assert.equal(commonServerOptionsSchema.safeParse({ backlog: 0 }).success, false);
  assert.equal(commonServerOptionsSchema.safeParse({ bodysize: 10 }).success, false);
});

test('serverUrl brackets IPv6 and escapes a scope', () => {
  assert.equal(serverUrl('127.0.0.1', 8080), 'http://127.0.0.1:8080/');
  assert.equal(serverUrl('::1', 80), 'http://[::1]:80/');
  assert.equal(serverUrl('fe80::1%iob0', 80), 'http://[fe80::1%25iob0]:80/');
});
