import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { conformanceChecks, getRequest, rawRequest, startServerPlugin } from '@iobench/core/testing';
import { pollServer, selectServer } from '../src/index.js';

for (const [plugin, wait] of [
  [selectServer, 'select'],
  [pollServer, 'poll'],
] as const) {
  test(`${plugin.name}: stats() count the ${wait} waits, accept4, recv and send, and error answers by class`, async () => {
    const started = await startServerPlugin(plugin, {});
    try {
      await rawRequest(started.host, started.port, getRequest().repeat(2), { responses: 2 });
      await rawRequest(started.host, started.port, 'GARBAGE\r\n\r\n');
      await rawRequest(started.host, started.port, 'POST / HTTP/1.1\r\nHost: x\r\n\r\n');
      const stats = await started.handle.stats();
      const syscalls = stats.syscalls ?? {};
      assert.equal(stats.requests, 4, 'two GETs and the two answered with an error');
      assert.ok((syscalls[wait] ?? 0) >= 1 && (syscalls.accept4 ?? 0) >= 3, JSON.stringify(syscalls));
      assert.ok((syscalls.recv ?? 0) >= 3 && (syscalls.send ?? 0) >= 3, JSON.stringify(syscalls));
      assert.equal(stats.errors.badRequest, 1, JSON.stringify(stats.errors));
      assert.equal(stats.errors.lengthRequired, 1, JSON.stringify(stats.errors));
    } finally {
      await started.handle.stop();
    }
  });
}

const fileLimit = Number(/^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 0);

test('select counts every connection past FD_SETSIZE it refused as errors.fdSetSize', {
  skip: fileLimit < 2400 ? `ulimit -n is ${fileLimit}; 1,100 connections need 2,400 open files` : false,
  timeout: 40_000,
}, async () => {
  const started = await startServerPlugin(selectServer, { backlog: 2048 });
  const env = { plugin: selectServer, serverOptions: {}, server: () => started, keepsAlive: true, fdLimit: 1024 };
  try {
    await conformanceChecks.manyConnections.run(env);
    const stats = await started.handle.stats();
    assert.ok(stats.refused > 0, 'this test needs connections past FD_SETSIZE');
    assert.equal(stats.errors.fdSetSize, stats.refused);
  } finally {
    await started.handle.stop();
  }
});
