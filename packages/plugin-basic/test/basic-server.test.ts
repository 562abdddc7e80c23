import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getRequest, RawConnection, rawRequest, startServerPlugin } from '@iobench/core/testing';
import { basicServer } from '../src/index.js';

test('basic by default answers one request per connection, then closes (like the original experiment)', async () => {
  const { handle, host, port } = await startServerPlugin(basicServer);
  const connection = await RawConnection.connect(host, port);
  try {
    connection.write(getRequest().repeat(2));
    const [response] = await connection.readResponses(1);
    assert.equal(response!.headers.connection, 'close');
    assert.equal(await connection.waitForClose(2000), 'end');
    assert.equal(connection.received.length, 0, 'the second request is not answered');
  } finally {
    connection.destroy();
    await handle.stop();
  }
});

test('basic with keepAlive starves a second client until the first one closes', async () => {
  const { handle, host, port } = await startServerPlugin(basicServer, { keepAlive: true });
  const holder = await RawConnection.connect(host, port);
  try {
    holder.write(getRequest());
    await holder.readResponses(1);
    const waiting = rawRequest(host, port, getRequest(), { timeoutMs: 5000 });
    const early = await Promise.race([waiting, new Promise((resolve) => setTimeout(() => resolve('starved'), 300))]);
    assert.equal(early, 'starved', 'the second client is not served while the first keeps its connection');
    holder.socket.end();
    const [late] = await waiting;
    assert.equal(late!.status, 200, 'served once the first client left');
  } finally {
    holder.destroy();
    await handle.stop();
  }
});

test('basic: stats() count its blocking accept4, recv and send, and error answers by class', async () => {
  const { handle, host, port } = await startServerPlugin(basicServer);
  try {
    await rawRequest(host, port, getRequest());
    await rawRequest(host, port, 'GARBAGE\r\n\r\n');
    await rawRequest(host, port, 'POST / HTTP/1.1\r\nHost: x\r\n\r\n');
    const stats = await handle.stats();
    const syscalls = stats.syscalls ?? {};
    assert.equal(stats.requests, 3, 'the GET and the two answered with an error');
    assert.ok((syscalls.accept4 ?? 0) >= 3, JSON.stringify(syscalls));
    assert.ok((syscalls.recv ?? 0) >= 3 && (syscalls.send ?? 0) >= 3, JSON.stringify(syscalls));
    assert.equal(stats.errors.badRequest, 1, JSON.stringify(stats.errors));
    assert.equal(stats.errors.lengthRequired, 1, JSON.stringify(stats.errors));
  } finally {
    await handle.stop();
  }
});
