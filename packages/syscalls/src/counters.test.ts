import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { spawnModuleWorker } from '@iobench/core/testing';
import * as sys from './index.js';

test('counters count issued syscalls, failed ones included, and only while bound', () => {
  const counters = new sys.SyscallCounters();
  sys.useCounters(counters);
  const fd = sys.eventfd(0, sys.constants.EFD_NONBLOCK);
  sys.eventfdRead(fd);
  sys.close(fd);
  sys.close(fd);
  sys.useCounters(null);
  sys.close(-1);
  assert.deepEqual(counters.snapshot(), { eventfd: 1, read: 1, close: 2 });
});

test('counters are shared with a worker thread through the SharedArrayBuffer', async () => {
  const counters = new sys.SyscallCounters();
  sys.useCounters(counters);
  sys.close(-1);
  const fixture = new URL('../test/fixtures/count-in-worker.ts', import.meta.url);
  const worker = spawnModuleWorker(fixture, { workerData: { buffer: counters.buffer } });
  await once(worker, 'message');
  await once(worker, 'exit');
  sys.useCounters(null);
  assert.equal(counters.snapshot().close, 4);
  assert.equal(new sys.SyscallCounters(counters.buffer).snapshot().close, 4, 'a second view reads the same counts');
});

test('a counters buffer too small for every slot is refused', () => {
  assert.throws(() => new sys.SyscallCounters(new SharedArrayBuffer(8)), RangeError);
});
