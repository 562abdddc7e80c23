import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getRequest, rawRequest, startServerPlugin } from '@iobench/core/testing';
import { epollServer } from '../src/index.js';

for (const edgeTriggered of [false, true]) {
  test(`epoll (edgeTriggered: ${edgeTriggered}): stats() count epoll_wait, accept4, recv and send, and error answers by class`, async () => {
    const started = await startServerPlugin(epollServer, { edgeTriggered });
    try {
      await rawRequest(started.host, started.port, getRequest().repeat(2), { responses: 2 });
      await rawRequest(started.host, started.port, 'GARBAGE\r\n\r\n');
      await rawRequest(started.host, started.port, 'POST / HTTP/1.1\r\nHost: x\r\n\r\n');
      const stats = await started.handle.stats();
      const syscalls = stats.syscalls ?? {};
      assert.equal(stats.requests, 4, 'two GETs and the two answered with an error');
      assert.ok((syscalls.epoll_wait ?? 0) >= 1 && (syscalls.accept4 ?? 0) >= 3, JSON.stringify(syscalls));
      assert.ok((syscalls.recv ?? 0) >= 3 && (syscalls.send ?? 0) >= 3, JSON.stringify(syscalls));
      assert.equal(stats.errors.badRequest, 1, JSON.stringify(stats.errors));
      assert.equal(stats.errors.lengthRequired, 1, JSON.stringify(stats.errors));
    } finally {
      await started.handle.stop();
    }
  });
}
